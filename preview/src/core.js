// The core, as the cluster runs it: rec-core's JSON ABI compiled to WebAssembly (wasm-bindgen, --target web).
// One function in, JSON out; every decision is the core's.

import init, { call } from './pkg/rec_web.js';
import { asker } from './abi.js';

export { Op } from './abi.js';

export async function load() {
  await init({ module_or_path: new URL('./pkg/rec_web_bg.wasm', import.meta.url) });
}

/** Sends one request; returns the answer's `ok`, or throws with the core's error kind and message. */
export const ask = asker(call);
