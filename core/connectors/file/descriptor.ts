import type { ConnectorDescriptor } from '../../model/descriptor.js';
import { formSchema, lookupFormSchema } from '../json-schema.js';
import { fileDestinationConfigSchema, fileSourceConfigSchema } from './config.js';
import { DEFAULT_BATCH_SIZE } from './csv-writer.js';
import { fileLookupConfigSchema } from './lookup.js';

export const fileDescriptor: ConnectorDescriptor = {
  id: 'file',
  name: 'Files (CSV, JSON Lines)',
  description:
    'Reads and writes CSV (RFC 4180) and JSON Lines files in the workspace, streaming. A written file is replaced ' +
    'only when the run succeeds. As a lookup, a file is a table read once per run.',
  icon: 'file',
  nodeKinds: ['source', 'lookup', 'destination'],
  sourceConfigSchema: formSchema(fileSourceConfigSchema),
  destinationConfigSchema: formSchema(fileDestinationConfigSchema),
  lookupConfigSchema: lookupFormSchema(fileLookupConfigSchema),
  defaultBatchSize: DEFAULT_BATCH_SIZE,
};
