// Share links: the REC (and, in update mode, the current REC) compressed into the URL fragment with the
// browser's own CompressionStream('deflate-raw') and base64url. The fragment never reaches a server.

export async function encode(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function decode(token) {
  const binary = atob(token.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

/** The fragment for a spec (and an old spec): `#spec=...&old=...`. */
export async function fragment(spec, old) {
  const params = new URLSearchParams({ spec: await encode(spec) });
  if (old !== undefined) params.set('old', await encode(old));
  return `#${params}`;
}

/** The spec and old spec in a fragment, or null when it holds none. Throws on a damaged link. */
export async function read(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (!params.has('spec')) return null;
  return {
    spec: await decode(params.get('spec')),
    old: params.has('old') ? await decode(params.get('old')) : undefined,
  };
}
