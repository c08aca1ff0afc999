//! The license in the world: installing one, its automatic update, license use by
//! organization, the monthly report and its approval, and licensed users taken off it.

use std::collections::HashSet;

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    Id, LicenseFile, LicenseReport, LicensedUser, NotFound, OrganizationLicenseUse, RemovedObjects,
    ReportApproval, ReportMonth, ReportOrganization, Timestamp,
};

fn invalid(message: impl Into<String>) -> JobEditError {
    JobEditError::Invalid(message.into())
}

impl World {
    /// Installs the license a file describes, keeping the server's own settings of it. A
    /// license that has expired by `now` is refused, as the service refuses it.
    pub fn install_license(
        &mut self,
        file: LicenseFile,
        now: Timestamp,
    ) -> Result<(), JobEditError> {
        if file.expires <= now {
            return Err(invalid(format!(
                "The license expired on {}; install a license that is still valid.",
                file.expires.format("%Y-%m-%d")
            )));
        }
        self.license = self.license.installed(file);
        Ok(())
    }

    /// The licensed users of each organization that has any, in the world's order.
    pub fn organization_license_use(&self) -> Vec<OrganizationLicenseUse<'_>> {
        self.organizations
            .iter()
            .filter_map(|organization| {
                let usage = self.licensing(organization.id);
                (usage.used > 0).then(|| OrganizationLicenseUse {
                    organization,
                    used: u32::try_from(usage.used).unwrap_or(u32::MAX),
                    new: u32::try_from(usage.new).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// The monthly report of the month before `now`: each organization's licensed users,
    /// less what its approval took out.
    pub fn license_report(&self, now: Timestamp) -> LicenseReport<'_> {
        let month = ReportMonth::before(now);
        let approval = self
            .license
            .approved_reports
            .iter()
            .find(|approval| approval.report_id == month.id);
        let organizations = self
            .organization_license_use()
            .into_iter()
            .map(|usage| {
                let removed = approval.and_then(|approval| {
                    approval
                        .removed
                        .iter()
                        .find(|removed| removed.organization_id == usage.organization.id)
                });
                let reported = usage
                    .used
                    .saturating_sub(removed.map_or(0, |removed| removed.count));
                ReportOrganization {
                    organization: usage.organization,
                    reported,
                    new: usage.new.min(reported),
                    removed,
                }
            })
            .collect();
        LicenseReport {
            month,
            approval,
            organizations,
        }
    }

    /// Approves the latest monthly report (`report_id`), taking out what `removed` names.
    /// Another report is unknown (404); one approved already, an organization the report
    /// does not hold, one named twice or more objects than it reported are refused (400).
    pub fn approve_license_report(
        &mut self,
        report_id: i32,
        removed: Vec<RemovedObjects>,
        now: Timestamp,
    ) -> Result<(), JobEditError> {
        let report = self.license_report(now);
        if report.month.id != report_id {
            return Err(NotFound {
                what: "License report",
                id: report_id.to_string(),
            }
            .into());
        }
        if report.approval.is_some() {
            return Err(invalid(format!(
                "License report {report_id} has already been approved."
            )));
        }
        let mut named = HashSet::new();
        for objects in &removed {
            if !named.insert(objects.organization_id) {
                return Err(invalid(format!(
                    "Organization '{}' is named twice in 'removedObjects'.",
                    objects.organization_id
                )));
            }
            let line = report
                .organizations
                .iter()
                .find(|line| line.organization.id == objects.organization_id)
                .ok_or_else(|| {
                    invalid(format!(
                        "License report {report_id} holds no organization '{}'.",
                        objects.organization_id
                    ))
                })?;
            if objects.count > line.reported {
                return Err(invalid(format!(
                    "Organization '{}' reported {} objects; {} cannot be removed.",
                    line.organization.name, line.reported, objects.count
                )));
            }
        }
        self.license.approved_reports.push(ReportApproval {
            report_id,
            approved_at: now,
            removed,
        });
        Ok(())
    }

    /// Takes a licensed user off the license.
    pub fn remove_licensed_user(&mut self, id: Uuid) -> Result<(), NotFound> {
        self.find(&Id::<LicensedUser>::new(id))?;
        self.licensed_users.retain(|user| user.id != id);
        Ok(())
    }
}
