// The core, as the cluster runs it: rec-core's JSON ABI compiled to WebAssembly (wasm-bindgen, --target web).
// One function in, JSON out; every decision is the core's.

import init, { call } from './pkg/rec_web.js';

/** ABI operation numbers (rec_core::abi::Op). */
export const Op = { version: 0, preview: 7 };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function load() {
  await init({ module_or_path: new URL('./pkg/rec_web_bg.wasm', import.meta.url) });
}

/** Sends one request; returns the answer's `ok`, or throws with the core's error kind and message. */
export function ask(op, request) {
  const answer = JSON.parse(decoder.decode(call(op, encoder.encode(JSON.stringify(request)))));
  if (answer.error) throw new Error(`${answer.error.kind}: ${answer.error.message}`);
  return answer.ok;
}
