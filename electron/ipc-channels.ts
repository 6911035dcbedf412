/**
 * The IPC channel names shared by main and the preload. One channel per contract method (`ferry:<method>`) rather
 * than a generic `invoke(name)` channel, so main registers exactly the methods the contract declares.
 */
export const METHOD_CHANNEL_PREFIX = 'ferry:';
export const EVENT_CHANNEL = 'ferry:event';

export function methodChannel(method: string): string {
  return `${METHOD_CHANNEL_PREFIX}${method}`;
}
