import { describe, expect, it } from 'vitest';
import { connectionProblem, formatBcError, notFoundProblem, parseBcError, tokenProblem } from './bc-error.js';

describe('Business Central errors', () => {
  it('splits the correlation id off the message', () => {
    const body = {
      error: {
        code: 'Internal_CompanyNotFound',
        message: "The company 'Nope' does not exist.  CorrelationId:  2a4c9d2e-5b87-4b3c-a2e7-0c0ddc1f5e01.",
      },
    };
    const error = parseBcError(400, body);
    expect(error).toEqual({
      code: 'Internal_CompanyNotFound',
      message: "The company 'Nope' does not exist.",
      correlationId: '2a4c9d2e-5b87-4b3c-a2e7-0c0ddc1f5e01',
      status: 400,
    });
    expect(formatBcError(error)).toBe(
      "Internal_CompanyNotFound: The company 'Nope' does not exist. (HTTP 400, correlation id 2a4c9d2e-5b87-4b3c-a2e7-0c0ddc1f5e01)",
    );
    expect(connectionProblem(error, 'GET x', 'basic')).toMatch(/^company not found \(GET x\): check the company/);
  });

  it('reads bodies that are not BC errors (HTML from a proxy, empty)', () => {
    expect(parseBcError(502, undefined, '<html><body><h1>Bad gateway</h1></body></html>')).toEqual({
      code: 'HTTP 502',
      message: 'Bad gateway',
      status: 502,
    });
    expect(formatBcError(parseBcError(500, undefined, ''))).toBe('no error text (HTTP 500)');
  });

  it('names the credential to check per auth kind on 401', () => {
    const error = parseBcError(401, {
      error: { code: 'Authentication_InvalidCredentials', message: 'The server has rejected the client credentials.' },
    });
    expect(connectionProblem(error, 'GET x', 'oauth')).toContain('Microsoft Entra Applications');
    expect(connectionProblem(error, 'GET x', 'windows', 'CORP\\svc')).toContain(
      'Windows authentication (NTLM) failed for CORP\\svc',
    );
    expect(connectionProblem(error, 'GET x', 'basic', 'ADMIN')).toContain('web service access key');
    expect(
      connectionProblem(parseBcError(400, { error: { code: 'BadRequest', message: 'x' } }), 'GET x', 'basic'),
    ).toBeUndefined();
  });

  it('explains on-premises 404s and Entra token errors', () => {
    expect(notFoundProblem('GET u', false, true)).toContain('ApiServicesEnabled = true');
    expect(notFoundProblem('GET u', false, false)).toContain('check the server instance in the base URL');
    expect(notFoundProblem('GET u', true)).toContain('environment name');
    const body = {
      error: 'invalid_client',
      error_description:
        'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-01-01 00:00:00Z',
    };
    expect(tokenProblem(401, body, '')).toBe(
      'Microsoft Entra ID refused the token request (invalid_client): AADSTS7000215: Invalid client secret provided. ' +
        'Ensure the secret being sent in the request is the client secret value. — check the client secret: use the ' +
        'secret\'s "Value", not its "Secret ID"',
    );
  });
});
