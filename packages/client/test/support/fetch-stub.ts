// Injects a fetch into the client (instead of mocking the global one) and records what it got.

/** A recording fetch that answers every request with `answer(request)`; it records each call as the Request fetch would build. */
export function createFetchStub(answer: (request: Request) => Response | Promise<Response> = () => jsonResponse(200, {})) {
  const requests: Request[] = [];
  const fetch = async (input: string | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return answer(request);
  };
  return { fetch, requests };
}

/** A JSON response. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
