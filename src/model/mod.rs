//! Version-neutral domain types of the backup world: organizations, jobs, job sessions and log items.

use chrono::{DateTime, FixedOffset, TimeDelta};
use uuid::Uuid;

/// A point in time with the offset it is rendered in: UTC for what the service keeps
/// in its database, the server's local offset for log items.
pub type Timestamp = DateTime<FixedOffset>;

/// A Microsoft 365 (or on-premises Exchange/SharePoint) organization added to the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub office_name: String,
    pub kind: OrganizationKind,
    pub region: String,
    pub exchange_online: bool,
    pub sharepoint_online: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganizationKind {
    Office365,
    OnPremises,
    Hybrid,
}

/// A backup job of one organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub description: String,
    pub backup_type: BackupType,
    pub is_enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupType {
    EntireOrganization,
    SelectedItems,
}

/// One run of a job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSession {
    pub id: Uuid,
    pub job_id: Uuid,
    pub creation_time: Timestamp,
    pub end_time: Option<Timestamp>,
    pub progress: u8,
    pub status: SessionStatus,
    pub statistics: SessionStatistics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Success,
    Warning,
    Failed,
    Running,
    Stopped,
}

/// Throughput figures of a session; the service reports them as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionStatistics {
    pub processing_rate_bytes_ps: u64,
    pub processing_rate_items_ps: u64,
    pub read_rate_bytes_ps: u64,
    pub write_rate_bytes_ps: u64,
    pub transferred_data_bytes: u64,
    pub processed_objects: u64,
    pub bottleneck: Bottleneck,
}

impl SessionStatistics {
    /// Statistics that agree with what a run moved: rates are totals over the elapsed time.
    pub fn for_transfer(
        transferred_bytes: u64,
        processed_objects: u64,
        processed_items: u64,
        elapsed: TimeDelta,
        bottleneck: Bottleneck,
    ) -> Self {
        let millis = u64::try_from(elapsed.num_milliseconds())
            .unwrap_or(0)
            .max(1);
        let per_second = |total: u64| total.saturating_mul(1000) / millis;
        Self {
            processing_rate_bytes_ps: per_second(transferred_bytes),
            processing_rate_items_ps: per_second(processed_items),
            // Reading pulls the raw items; writing stores them compressed, hence the ratios.
            read_rate_bytes_ps: per_second(transferred_bytes.saturating_mul(3) / 2),
            write_rate_bytes_ps: per_second(transferred_bytes.saturating_mul(3) / 5),
            transferred_data_bytes: transferred_bytes,
            processed_objects,
            bottleneck,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bottleneck {
    NA,
    Detecting,
    Source,
    Target,
}

/// One operation a session logged. `usn` orders the items of a session.
#[derive(Debug, Clone, PartialEq)]
pub struct LogItem {
    pub id: Uuid,
    pub usn: i64,
    pub severity: Severity,
    pub message: String,
    pub creation_time: Timestamp,
    pub end_time: Timestamp,
}

/// The outcome a log item reports; v3 renders it as the `[Success]` prefix of the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Success,
    Warning,
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_totals_over_elapsed_seconds() {
        let stats =
            SessionStatistics::for_transfer(10_000, 2, 50, TimeDelta::seconds(10), Bottleneck::NA);
        assert_eq!(stats.processing_rate_bytes_ps, 1_000);
        assert_eq!(stats.processing_rate_items_ps, 5);
        assert_eq!(stats.transferred_data_bytes, 10_000);
    }
}
