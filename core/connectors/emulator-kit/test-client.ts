// What tests of the emulators read from an HTTP exchange (127.0.0.1 only).

export interface Answer {
  status: number;
  headers: Headers;
  // Tests read whatever the emulator answered; the shape is what they assert.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One request; a JSON body is parsed, anything else ($metadata, files, text) stays text. Redirects are not followed. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, headers: response.headers, body };
}
