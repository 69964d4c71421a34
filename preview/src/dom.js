// Small DOM helpers shared by the page's modules (text nodes only: no HTML is ever parsed from data).

/** An element with a class and text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export const $ = (id) => document.getElementById(id);

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
