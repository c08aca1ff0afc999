//! What a client configures on one organization: the items its retention policy keeps and the people whose actions are audited.

use serde::{Deserialize, Serialize};

use super::{DirectoryObject, RetentionExclusions};

/// An organization's own configuration, as a newly added organization has it until a
/// client writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct OrganizationSetup {
    /// Folders the retention policy never removes from this organization's backups.
    pub retention_exclusion: RetentionExclusions,
    /// Users and groups whose restores are mailed as audit notifications.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audit_items: Vec<DirectoryObject>,
}

impl OrganizationSetup {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
