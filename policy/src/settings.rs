//! The policy's settings: the core's validation options (embedded, so every option the core gains is a setting
//! here without a change) plus `applyDefaults`, the switch that makes the policy mutating.
//!
//! Settings are checked once by `validate_settings`; they do not read the cluster.

use kubewarden_policy_sdk::settings::{SettingsValidationResponse, Validatable};
use rec_core::validate::Options;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a ClusterAdmissionPolicy's `settings:` may hold.
///
/// Read through [`Settings::try_from`] rather than a derived `Deserialize`: serde's `flatten` would silently
/// ignore unknown keys, and a typo in a setting must be an error.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", try_from = "Map<String, Value>")]
pub struct Settings {
    /// Fill in the defaults of an accepted REC (the policy then answers with a `mutated_object`). Off by default.
    #[serde(default)]
    pub apply_defaults: bool,
    /// The core's validation options (`warningsAsErrors`, ...), at the top level of the settings; every option the
    /// core gains is a setting without a change here. Unknown keys are refused by `Options` (`deny_unknown_fields`).
    #[serde(flatten)]
    pub options: Options,
}

impl TryFrom<Map<String, Value>> for Settings {
    type Error = String;

    fn try_from(mut map: Map<String, Value>) -> Result<Self, Self::Error> {
        let apply_defaults = match map.remove("applyDefaults") {
            None => false,
            Some(Value::Bool(b)) => b,
            Some(other) => return Err(format!("`applyDefaults` must be true or false, found {other}")),
        };
        let options = serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())?;
        Ok(Settings {
            apply_defaults,
            options,
        })
    }
}

impl Validatable for Settings {
    /// Everything a wrong setting can be is a deserialisation error today (unknown key, wrong type). When the
    /// core's `Options` gains value rules they belong in the core, next to the options, not here.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

impl Settings {
    /// Parses settings JSON, naming the problem when it is not valid.
    pub fn parse(payload: &[u8]) -> Result<Settings, String> {
        let settings: Settings =
            serde_json::from_slice(payload).map_err(|e| format!("the policy settings are not valid: {e}"))?;
        settings
            .validate()
            .map_err(|e| format!("the policy settings are not valid: {e}"))?;
        Ok(settings)
    }
}

/// The answer to `validate_settings`: valid, or not with a message saying why (never a waPC error).
pub fn check(payload: &[u8]) -> SettingsValidationResponse {
    match Settings::parse(payload) {
        Ok(_) => SettingsValidationResponse {
            valid: true,
            message: None,
        },
        Err(message) => SettingsValidationResponse {
            valid: false,
            message: Some(message),
        },
    }
}
