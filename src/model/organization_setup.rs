//! What a client configures on one organization: the items its retention policy keeps.

use serde::{Deserialize, Serialize};

use super::RetentionExclusions;

/// An organization's own configuration, as a newly added organization has it until a
/// client writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct OrganizationSetup {
    /// Folders the retention policy never removes from this organization's backups.
    pub retention_exclusion: RetentionExclusions,
}

impl OrganizationSetup {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
