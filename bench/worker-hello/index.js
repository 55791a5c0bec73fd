// Hello world: answers every request with a small JSON body and the mint's base headers, without reading
// the request body.
export default {
  fetch() {
    return new Response('{"hello":"world"}', {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', vary: 'Origin', 'x-content-type-options': 'nosniff' },
    });
  },
};
