import { randomUUID } from 'node:crypto';

/**
 * An error answered the way Business Central answers it: `{"error":{"code","message"}}` where the message ends with
 * two spaces, `CorrelationId:`, two spaces, a GUID and a full stop (samples and docs: dynamics-error-codes.md).
 */
export class BcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message: `${message}  CorrelationId:  ${randomUUID()}.` } };
}

// The codes and texts below are BC's (error-code table of the API docs); the emulator never invents a code.
export const notFoundSegment = (segment: string) =>
  new BcError(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${segment}'.`);

export const recordNotFound = (entity: string, key: string) =>
  new BcError(
    404,
    'BadRequest_NotFound',
    `The ${entity} does not exist. Identification fields and values: Id='${key}'`,
  );

export const companyNotFound = (company: string) =>
  new BcError(404, 'Internal_CompanyNotFound', `The company '${company}' does not exist.`);

export const noDefaultCompany = () =>
  new BcError(
    400,
    'Internal_CompanyNotFound',
    'Cannot process the request because the default company cannot be found. You can specify a default company in ' +
      'the service configuration file, or specify one for each tenant, or you can add a query string in the form of ' +
      '"company=[name]".',
  );

export const badRequest = (message: string) => new BcError(400, 'BadRequest', message);

export const invalidToken = () =>
  new BcError(
    400,
    'BadRequest_InvalidToken',
    'Could not validate the client concurrency token required by the service. Please provide a valid token in the ' +
      'client request.',
  );

export const entityChanged = () =>
  new BcError(409, 'Request_EntityChanged', 'Another user has already changed the record.');

export const methodNotAllowed = (method: string, what: string) =>
  new BcError(405, 'BadRequest_MethodNotAllowed', `'${method}' requests for '${what}' are not allowed.`);

export const invalidCredentials = (headers: Record<string, string> = {}) =>
  new BcError(401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.', headers);
