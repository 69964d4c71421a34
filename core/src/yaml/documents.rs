//! A multi-document YAML text (`---` separated, as an editor holds a REC and its REDBs) cut into its documents,
//! each with the line it starts on, so that each is read by [`super::parse`] alone and its positions are moved
//! back into the whole text.
//!
//! Why cut by lines here, when [`super::parse`] also reads a stream (`Parsed::documents`, what the CLI takes): the
//! preview answers on every keystroke, so it counts the documents before reading any (a text of more than
//! `preview::MAX_DOCUMENTS` is refused at once; 3 MiB of `---` would be a million empty documents to the stream
//! reader), drops the empty ones as kubectl does (a trailing `---`, a run of comments), and knows each document's
//! line range without a second pass. Both readers take the same document boundaries (a test holds them together)
//! and the same scalar rules: the values are the same.
//! Cutting by lines is exact YAML: a document marker (`---` or `...` at the start of a line, then a space or the
//! end of the line) ends any scalar, quoted or block (YAML 1.2, `c-forbidden`), so no content line is ever mistaken
//! for one.

/// One document of a text: the line it starts on (1-based) and its text, from the start of that line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub first_line: usize,
    pub text: &'a str,
}

/// The documents of `text`, in order. A document is what lies between markers: `---` starts one (its line
/// belongs to it, content after the marker too: `--- {a: 1}`), `...` ends one (its line belongs to it). Comments,
/// directives and blank lines before the first marker belong to the document after them (a file that starts with
/// a comment and `---` is one document); a document with nothing but markers, comments and blank lines is no
/// document (`---` at the end of a file, kubectl skips it too). A text with no content is one empty document.
pub fn split<'a>(text: &'a str) -> Vec<Chunk<'a>> {
    let mut out = Vec::new();
    // The current document: its start (byte, line), whether it has content, whether it opened with a marker.
    let mut start = (0, 1);
    let mut content = false;
    let mut marked = false;
    let mut offset = 0;
    let close = |out: &mut Vec<Chunk<'a>>, start: (usize, usize), end: usize, content: bool| {
        if content {
            out.push(Chunk {
                first_line: start.1,
                text: &text[start.0..end],
            });
        }
    };
    for (line_no, line) in (1..).zip(text.split_inclusive('\n')) {
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(rest) = marker(bare, "---") {
            // An unmarked run of comments and directives joins the document its marker opens.
            if content || marked {
                close(&mut out, start, offset, content);
                start = (offset, line_no);
            }
            content = !is_blank(rest);
            marked = true;
        } else if marker(bare, "...").is_some() {
            close(&mut out, start, offset + line.len(), content);
            start = (offset + line.len(), line_no + 1);
            content = false;
            marked = false;
        } else if !is_blank(bare) && !bare.starts_with('%') {
            content = true;
        }
        offset += line.len();
    }
    close(&mut out, start, text.len(), content);
    if out.is_empty() {
        out.push(Chunk { first_line: 1, text });
    }
    out
}

/// What follows `mark` on a marker line, or `None` when the line is no marker.
fn marker<'a>(line: &'a str, mark: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(mark)?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some(rest)
}

/// Blank or a comment.
fn is_blank(text: &str) -> bool {
    let text = text.trim_start();
    text.is_empty() || text.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn cut(text: &str) -> Vec<(usize, &str)> {
        split(text).iter().map(|c| (c.first_line, c.text)).collect()
    }

    #[test]
    fn one_document_is_the_whole_text() {
        assert_eq!(cut("a: 1\nb: 2\n"), [(1, "a: 1\nb: 2\n")]);
        assert_eq!(cut("# head\n---\na: 1\n"), [(1, "# head\n---\na: 1\n")]);
        assert_eq!(cut("%YAML 1.2\n---\na: 1\n"), [(1, "%YAML 1.2\n---\na: 1\n")]);
        assert_eq!(cut(""), [(1, "")]);
        assert_eq!(cut("# only a comment\n"), [(1, "# only a comment\n")]);
    }

    #[test]
    fn markers_start_and_end_documents_and_empty_ones_are_skipped() {
        assert_eq!(cut("a: 1\n---\nb: 2\n"), [(1, "a: 1\n"), (2, "---\nb: 2\n")]);
        assert_eq!(
            cut("---\na: 1\n---\n# nothing\n---\nb: 2\n---\n"),
            [(1, "---\na: 1\n"), (5, "---\nb: 2\n")]
        );
        assert_eq!(cut("a: 1\n...\nb: 2\n"), [(1, "a: 1\n...\n"), (3, "b: 2\n")]);
        assert_eq!(cut("--- {a: 1}\n--- [2]"), [(1, "--- {a: 1}\n"), (2, "--- [2]")]);
        assert_eq!(cut("a: 1\r\n---\r\nb: 2"), [(1, "a: 1\r\n"), (2, "---\r\nb: 2")]);
    }

    #[test]
    fn lines_that_only_look_like_markers_are_content() {
        assert_eq!(cut("a: |\n  ---\n----\n"), [(1, "a: |\n  ---\n----\n")]);
        assert_eq!(cut("a: 1\n---x\n"), [(1, "a: 1\n---x\n")]);
    }

    /// The two readers of a multi-document text agree: the chunks, each read alone, hold the values the stream
    /// reader reads (less its empty documents, which the cut drops).
    #[test]
    fn the_cut_and_the_stream_reader_read_the_same_documents() {
        let texts = [
            "a: 1\n---\nb: 2\n",
            "# head\n---\na: 1\n---\n# nothing\n---\nb: [1, 2]\n---\n",
            "a: 1\n...\nb: 2\n",
            "--- {a: 1}\n--- [2]",
            "a: 1\r\n---\r\nb: 2",
            "a: |\n  ---\n  x\n---\nb: &x {c: 1}\nd: *x\n",
            "%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n",
        ];
        for text in texts {
            let parsed = super::super::parse(text);
            let streamed: Vec<Value> = parsed
                .documents
                .unwrap_or_default()
                .into_iter()
                .filter_map(|d| d.value)
                .filter(|v| !v.is_null())
                .collect();
            let cut: Vec<Value> = split(text)
                .iter()
                .filter_map(|c| super::super::parse(c.text).value)
                .collect();
            assert_eq!(cut, streamed, "{text:?}");
            assert!(cut.len() >= 2, "{text:?}");
        }
    }
}
