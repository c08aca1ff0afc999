//! Request bodies: JSON read as ASP.NET binds it (property names without regard to case,
//! unknown ones ignored), a value of the wrong type or outside its enum the client's 400,
//! with the path of what is wrong.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A request body the route cannot take: the client's 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BodyError(pub String);

/// The 400 for a body, with what is wrong with it.
pub fn invalid(message: impl Into<String>) -> BodyError {
    BodyError(message.into())
}

/// Reads a JSON body into `T`, whose fields are named in lower case without separators
/// (`#[serde(rename = "backuptype")]`): every key is lowered before binding, so any case
/// a client sends binds. The first problem is named with its (lowered) path.
pub fn read<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("The request body is empty."));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| invalid(format!("The request body is not valid JSON: {error}.")))?;
    let value = lower_keys(value);
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." {
            invalid(format!("The request body is not valid: {inner}."))
        } else {
            invalid(format!(
                "The request body is not valid at '{path}': {inner}."
            ))
        }
    })
}

/// Every key of every object in lower case.
fn lower_keys(value: Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .map(|(key, value)| (key.to_lowercase(), lower_keys(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(lower_keys).collect()),
        other => other,
    }
}
