//! Packaging of the Kubewarden policy, what `kwctl annotate` and `kwctl scaffold artifacthub` do, as a library
//! the tests can hold to the same contract: [`metadata`] reads `policy/metadata.yml` into Kubewarden's
//! `Metadata` shape, [`protocol`] asks the module which waPC protocol it speaks, [`section`] writes and reads
//! the `io.kubewarden.metadata` custom section, [`artifacthub`] writes `artifacthub-pkg.yml`.
//!
//! It does not build or shrink the module (`policy/build` does) and never pushes or signs anything.

pub mod artifacthub;
pub mod metadata;
pub mod protocol;
pub mod section;

pub use metadata::{Metadata, MetadataError};

/// Everything `annotate` needs, and what it writes: the module with its metadata section.
pub fn annotate(module: &[u8], metadata_yml: &str, usage: &str) -> Result<(Vec<u8>, Metadata), AnnotateError> {
    let mut metadata = Metadata::from_yaml(metadata_yml)?;
    let protocol = protocol::protocol_version(module)?;
    metadata.complete(protocol, usage)?;
    let json = serde_json::to_vec(&metadata).map_err(MetadataError::Json)?;
    let annotated = section::with_section(module, section::METADATA_SECTION, &json)?;
    Ok((annotated, metadata))
}

/// Why a module could not be annotated.
#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    #[error("metadata: {0}")]
    Metadata(#[from] MetadataError),
    #[error("asking the module for its protocol version: {0}")]
    Protocol(#[from] protocol::ProtocolError),
    #[error("the module: {0}")]
    Section(#[from] section::SectionError),
}
