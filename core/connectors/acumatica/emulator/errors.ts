// Errors answered the way Acumatica answers them: the swagger's HttpError body
// `{message, exceptionMessage, exceptionType, stackTrace?, modelState?}`. Acumatica reports most server-side
// failures as 500 with the .NET exception type (clients look at exceptionType: NoEntitySatisfiesTheCondition for a
// missing record, PXException "Invalid credentials" for a bad sign-in); model-binding problems are 400 with
// `modelState`. Texts quoted here are Acumatica's; the rest are the emulator's own and say so.

export interface HttpErrorBody {
  message: string;
  exceptionMessage?: string;
  exceptionType?: string;
  stackTrace?: string;
  modelState?: Record<string, string[]>;
}

export class AcuError extends Error {
  constructor(
    readonly status: number,
    /** An HttpError, or for 422 the submitted entity with its field errors. */
    readonly body: HttpErrorBody | Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.exceptionMessage ?? body.message ?? (body as Record<string, unknown>).error ?? status));
  }
}

const GENERIC = 'An error has occurred.';

/** A 500 carrying a .NET exception, as Acumatica's contract-based API sends one. */
export const serverError = (exceptionMessage: string, exceptionType = 'PX.Data.PXException') =>
  new AcuError(500, { message: GENERIC, exceptionMessage, exceptionType, stackTrace: '' });

export const noEntity = () =>
  serverError('No entity satisfies the condition.', 'PX.Api.ContractBased.NoEntitySatisfiesTheConditionException');

export const moreThanOneEntity = () =>
  serverError('More than one entity satisfies the condition.', 'PX.Api.ContractBased.MoreThanOneEntitySatisfiesTheConditionException'); // prettier-ignore

/** ASP.NET Web API's answer to a request without a valid session or token. */
export const notLoggedIn = (headers: Record<string, string> = {}) =>
  new AcuError(401, { message: 'Authorization has been denied for this request.' }, headers);

export const invalidCredentials = () => serverError('Invalid credentials. Please try again.');

export const unknownTenant = (tenant: string) =>
  serverError(`The company '${tenant}' does not exist.`, 'PX.Data.PXUndefinedCompanyException');

/**
 * The licence's "Maximum Number of Web Services API Users" is reached. Acumatica's official client looks for the
 * text "API Login Limit" in the body (AuthApi.cs) and reports a 429; the server itself answers 500.
 */
export const apiLoginLimit = (limit: number) =>
  serverError(
    `API Login Limit: the licence allows ${limit} signed-in web services API users. Sign out unused sessions and try again.`,
    'PX.Data.PXException',
  );

export const badRequest = (message: string, modelState?: Record<string, string[]>) =>
  new AcuError(400, { message, ...(modelState ? { modelState } : {}) });

export const notFound = (what: string) => new AcuError(404, { message: `No HTTP resource was found that matches the request URI '${what}'.` }); // prettier-ignore

export const preconditionFailed = (insert: boolean) =>
  new AcuError(412, {
    message: GENERIC,
    exceptionMessage: insert
      ? 'The entity cannot be inserted because an entity with these keys already exists.'
      : 'The entity cannot be updated because no entity with these keys exists.',
    exceptionType: 'PX.Api.ContractBased.EntityPreconditionFailedException',
  });

/** The licence's request limits (concurrent requests or requests per minute) are exceeded and the queue is full. */
export const tooManyRequests = (reason: string) =>
  new AcuError(429, { message: `Too Many Requests. ${reason}` }, { 'Retry-After': '1' });

/** Reading details of a list is an "optimized export" that fails for views with a BQL delegate. */
export const cannotOptimize = (fields: string[]) =>
  serverError(
    `Optimization cannot be performed.The following fields cause the error:\r\n${fields.join('\r\n')}`,
    'PX.Api.ContractBased.OptimizedExport.CannotOptimizeException',
  );
