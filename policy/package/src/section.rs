//! Custom sections of a WebAssembly module: [`with_section`] writes one (replacing every earlier section of that
//! name, as `kwctl annotate --force` replaces the metadata) at the end of the module, where `kwctl`'s walrus puts
//! custom sections too; [`read_section`] reads the first of a name back, as Kubewarden's `Metadata::from_contents`
//! does. The module's other sections are copied byte for byte.

use std::borrow::Cow;
use wasm_encoder::{CustomSection, Section};
use wasmparser::{Parser, Payload};

/// Where Kubewarden keeps a policy's metadata (JSON).
pub const METADATA_SECTION: &str = "io.kubewarden.metadata";

#[derive(Debug, thiserror::Error)]
pub enum SectionError {
    #[error("not a WebAssembly module: {0}")]
    Parse(#[from] wasmparser::BinaryReaderError),
    #[error("a component, not a core module: Kubewarden runs core modules")]
    Component,
}

/// The data of the first custom section named `name`, if any.
pub fn read_section<'a>(module: &'a [u8], name: &str) -> Result<Option<&'a [u8]>, SectionError> {
    for payload in Parser::new(0).parse_all(module) {
        match payload? {
            Payload::Version { encoding, .. } if encoding != wasmparser::Encoding::Module => {
                return Err(SectionError::Component);
            }
            Payload::CustomSection(reader) if reader.name() == name => return Ok(Some(reader.data())),
            _ => {}
        }
    }
    Ok(None)
}

/// `module` without any custom section named `name`, then that section holding `data`.
pub fn with_section(module: &[u8], name: &str, data: &[u8]) -> Result<Vec<u8>, SectionError> {
    let mut out = Vec::with_capacity(module.len() + name.len() + data.len() + 16);
    // Each section runs from the end of the one before (its id and size come first) to the end of its content.
    let mut section_start = 0;
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload?;
        match &payload {
            Payload::Version { encoding, range, .. } => {
                if *encoding != wasmparser::Encoding::Module {
                    return Err(SectionError::Component);
                }
                out.extend_from_slice(&module[range.clone()]);
                section_start = range.end;
            }
            Payload::CustomSection(reader) if reader.name() == name => section_start = reader.range().end,
            _ => {
                if let Some((_, content)) = payload.as_section() {
                    out.extend_from_slice(&module[section_start..content.end]);
                    section_start = content.end;
                }
            }
        }
    }
    CustomSection {
        name: Cow::Borrowed(name),
        data: Cow::Borrowed(data),
    }
    .append_to(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest module: the header alone.
    const EMPTY: &[u8] = b"\0asm\x01\0\0\0";

    fn custom_sections(module: &[u8]) -> Vec<(String, Vec<u8>)> {
        Parser::new(0)
            .parse_all(module)
            .filter_map(|p| match p.unwrap() {
                Payload::CustomSection(r) => Some((r.name().to_string(), r.data().to_vec())),
                _ => None,
            })
            .collect()
    }

    /// A module with a type section, a custom section "keep" and a stale metadata section.
    fn module_with_sections() -> Vec<u8> {
        let mut m = EMPTY.to_vec();
        // type section: one function type () -> ()
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        for (name, data) in [("keep", b"k".as_slice()), (METADATA_SECTION, b"old".as_slice())] {
            CustomSection {
                name: name.into(),
                data: data.into(),
            }
            .append_to(&mut m);
        }
        m
    }

    #[test]
    fn the_section_is_written_and_read_back() {
        let out = with_section(EMPTY, METADATA_SECTION, b"{\"a\":1}").unwrap();
        assert_eq!(
            read_section(&out, METADATA_SECTION).unwrap(),
            Some(b"{\"a\":1}".as_slice())
        );
        assert_eq!(read_section(EMPTY, METADATA_SECTION).unwrap(), None);
    }

    #[test]
    fn an_earlier_section_of_the_name_is_replaced_and_the_others_are_kept() {
        let out = with_section(&module_with_sections(), METADATA_SECTION, b"new").unwrap();
        assert_eq!(
            custom_sections(&out),
            [
                ("keep".to_string(), b"k".to_vec()),
                (METADATA_SECTION.to_string(), b"new".to_vec())
            ]
        );
        // The type section is still there, byte for byte.
        assert_eq!(&out[8..14], &[1, 4, 1, 0x60, 0, 0]);
        // Annotating twice gives the same bytes as once.
        assert_eq!(with_section(&out, METADATA_SECTION, b"new").unwrap(), out);
    }

    #[test]
    fn what_is_not_a_module_is_refused() {
        assert!(matches!(
            with_section(b"not wasm", METADATA_SECTION, b""),
            Err(SectionError::Parse(_))
        ));
        assert!(matches!(
            read_section(b"\0asm\x01\0\0", METADATA_SECTION),
            Err(SectionError::Parse(_))
        ));
        // A truncated section (declares 4 bytes, has 2).
        let mut truncated = EMPTY.to_vec();
        truncated.extend_from_slice(&[1, 4, 1, 0x60]);
        assert!(with_section(&truncated, METADATA_SECTION, b"").is_err());
        // A component (layer 1).
        assert!(matches!(
            with_section(b"\0asm\x0d\0\x01\0", METADATA_SECTION, b""),
            Err(SectionError::Component) | Err(SectionError::Parse(_))
        ));
    }
}
