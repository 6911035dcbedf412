/**
 * Pictures of the records a source read (`pictures: true`): BC v2.0 keeps one picture per item, customer, vendor,
 * employee or contact, as the single navigation `picture` whose `pictureContent` is a media stream ($metadata:
 * EntityType picture, Edm.Stream) — never inline in JSON, read with `GET …/items({id})/picture/pictureContent`. The
 * source expands `picture` (id, size, content type; width 0 for a record without an image) and fetches the bytes of
 * the records that have one, side by side within the connection's pool, into `picture.pictureContent` as base64, so
 * a destination can upload them (Lightspeed's product image). One request per record with an image, each run.
 */
import type { RecordData } from '../../engine/record.js';
import type { BcClient } from './client.js';

/**
 * Whether the connection's API version gives this set one picture per record: v2.0's single navigation `picture`
 * (v1.0 has a `picture` collection with `content`, a shape this option does not read).
 */
export function hasPictures(client: BcClient, setName: string): boolean {
  return client.entitySet(setName).navigation.some((n) => n.name === 'picture' && !n.collection);
}

function withImage(record: RecordData): boolean {
  const picture = record.picture as RecordData | null | undefined;
  return !!picture && Number(picture.width) > 0 && typeof record.id === 'string';
}

/** Adds `picture.pictureContent` (base64) to the records whose picture holds an image. */
export async function addPictureContent(
  client: BcClient,
  setName: string,
  records: RecordData[],
  signal: AbortSignal,
): Promise<void> {
  const set = client.entitySet(setName);
  const todo = records.filter(withImage);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const record = todo[next++]!;
      const url = client.url(`${client.entityPath(set, String(record.id))}/picture/pictureContent`);
      const response = await client.send({ method: 'GET', url, signal, binary: true });
      const fatal = client.failure(response, 'GET');
      if (fatal) throw fatal;
      // 204: the picture was emptied since the page was read; any other answer leaves the record without bytes.
      if (response.bytes && response.bytes.length > 0) {
        record.picture = { ...(record.picture as RecordData), pictureContent: response.bytes.toString('base64') };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(client.transport.parallel, todo.length) }, worker));
}
