// The core's JSON ABI as the page speaks it, over any build's `call` (the page's, core.js; the tests', loaded in
// node): operation numbers, and a request in, the answer's `ok` out.

/** ABI operation numbers (rec_core::abi::Op). */
export const Op = { version: 0, preview: 7, fieldTable: 10 };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `ask(op, request)` over `call`: returns the answer's `ok`, or throws with the core's error kind and message. */
export function asker(call) {
  return (op, request) => {
    const answer = JSON.parse(decoder.decode(call(op, encoder.encode(JSON.stringify(request)))));
    if (answer.error) throw new Error(`${answer.error.kind}: ${answer.error.message}`);
    return answer.ok;
  };
}
