import type { Connector, DestinationWriter, LookupRuntime, SourceReader } from '../types.js';
import {
  fileDestinationConfigSchema,
  fileSourceConfigSchema,
  type FileDestinationConfig,
  type FileSourceConfig,
} from './config.js';
import { openFileDestination } from './csv-writer.js';
import { fileDescriptor } from './descriptor.js';
import { type FileLookupConfig, fileLookupConfigSchema, openFileLookup } from './lookup.js';
import { openFileSource } from './source.js';

export { fileDestinationConfigSchema, fileSourceConfigSchema, type FileDestinationConfig, type FileSourceConfig };

/** Local files need no connection: the path in the node's config is all there is. */
export const fileConnector: Connector = {
  descriptor: fileDescriptor,
  requiresConnection: false,
  source: {
    configSchema: fileSourceConfigSchema,
    open: (config: FileSourceConfig, ctx): Promise<SourceReader> => openFileSource(config, ctx),
  },
  destination: {
    configSchema: fileDestinationConfigSchema,
    open: (config: FileDestinationConfig, ctx): Promise<DestinationWriter> => openFileDestination(config, ctx),
  },
  lookup: {
    configSchema: fileLookupConfigSchema,
    open: (config: FileLookupConfig, ctx): Promise<LookupRuntime> => openFileLookup(config, ctx),
  },
};
