// A plain <textarea> with a line-number gutter and a line-marking overlay.
// It knows nothing about RECs: the page tells it which lines have problems and which line to mark.

const LINE_HEIGHT = 20; // px; must match .editor textarea line-height in style.css
const PADDING = 8; // px; must match .editor textarea padding-top

export class Editor {
  constructor(host, { label }) {
    host.innerHTML = `
      <div class="gutter" aria-hidden="true"><div class="numbers"></div></div>
      <div class="surface">
        <div class="marks" aria-hidden="true"></div>
        <textarea spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"></textarea>
      </div>`;
    this.numbers = host.querySelector('.numbers');
    this.marks = host.querySelector('.marks');
    this.textarea = host.querySelector('textarea');
    this.textarea.setAttribute('aria-label', label);
    this.problemLines = new Map();
    this.markedLine = 0;
    this.lineCount = 0;
    this.textarea.addEventListener('input', () => this.refresh());
    this.textarea.addEventListener('scroll', () => this.sync());
  }

  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.markedLine = 0;
    this.refresh();
  }

  /** Which lines carry problems: a Map line -> 'error' | 'warning'. */
  setProblems(lines) {
    this.problemLines = lines;
    this.renderNumbers();
    this.renderMarks();
  }

  /** Puts the cursor at line:column (1-based), scrolls it into view and marks the line. */
  jumpTo(line, column) {
    const lines = this.value.split('\n');
    const row = Math.min(Math.max(line, 1), lines.length);
    let offset = 0;
    for (let i = 0; i < row - 1; i++) offset += lines[i].length + 1;
    offset += Math.min(Math.max(column - 1, 0), lines[row - 1].length);
    this.textarea.focus();
    this.textarea.setSelectionRange(offset, offset);
    const top = PADDING + (row - 1) * LINE_HEIGHT;
    const view = this.textarea.clientHeight;
    if (top < this.textarea.scrollTop || top + LINE_HEIGHT > this.textarea.scrollTop + view) {
      this.textarea.scrollTop = Math.max(top - view / 3, 0);
    }
    this.markedLine = row;
    this.renderMarks();
    this.sync();
  }

  /** The cursor's 1-based line and column. */
  caret() {
    const before = this.value.slice(0, this.textarea.selectionStart);
    const line = before.split('\n').length;
    return { line, column: before.length - before.lastIndexOf('\n') };
  }

  /** The 1-based line under a mouse event. */
  lineAt(event) {
    const box = this.textarea.getBoundingClientRect();
    return Math.floor((event.clientY - box.top - PADDING + this.textarea.scrollTop) / LINE_HEIGHT) + 1;
  }

  refresh() {
    const count = this.value.split('\n').length;
    if (count !== this.lineCount) {
      this.lineCount = count;
      this.renderNumbers();
    }
    this.renderMarks();
    this.sync();
  }

  renderNumbers() {
    const parts = [];
    for (let n = 1; n <= this.lineCount; n++) {
      const kind = this.problemLines.get(n);
      parts.push(kind ? `<span class="${kind}">${n}</span>` : `<span>${n}</span>`);
    }
    this.numbers.innerHTML = parts.join('');
  }

  renderMarks() {
    const bars = [];
    for (const [line, kind] of this.problemLines) bars.push(bar(line, `problem ${kind}`));
    if (this.markedLine) bars.push(bar(this.markedLine, 'marked'));
    this.marks.innerHTML = bars.join('');
  }

  sync() {
    const shift = `translate(${-this.textarea.scrollLeft}px, ${-this.textarea.scrollTop}px)`;
    this.marks.style.transform = shift;
    this.numbers.style.transform = `translateY(${-this.textarea.scrollTop}px)`;
  }
}

function bar(line, kind) {
  return `<div class="${kind}" data-line="${line}" style="top:${PADDING + (line - 1) * LINE_HEIGHT}px"></div>`;
}
