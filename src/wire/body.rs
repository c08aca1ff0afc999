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
    read_value(value)
}

/// Binds an already parsed value as [`read`] binds a body.
pub fn read_value<T: DeserializeOwned>(value: Value) -> Result<T, BodyError> {
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

/// A v3..v5 `/Action` body: an object of exactly one key, one of `actions` in any case, whose
/// value is the action's argument (`{"start": null}`, `{"explore": {...}}`). Answers what
/// `actions` pairs with the key and the argument; anything else is the 400 that lists what
/// the route takes (`usage`).
pub fn action<T: Copy>(
    body: &[u8],
    actions: &[(&str, T)],
    usage: &str,
) -> Result<(T, Value), BodyError> {
    let refused = || invalid(format!("The request body must be one of {usage}."));
    let value: Value = serde_json::from_slice(body).map_err(|_| refused())?;
    let Value::Object(object) = value else {
        return Err(refused());
    };
    let mut entries = object.into_iter();
    let (Some((key, argument)), None) = (entries.next(), entries.next()) else {
        return Err(refused());
    };
    actions
        .iter()
        .find(|(name, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, action)| (*action, argument))
        .ok_or_else(refused)
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
