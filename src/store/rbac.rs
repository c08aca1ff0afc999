//! Restore operator roles written: created, edited, removed, and their operators and
//! items added and taken away, each checked against the role's organization.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    DirectoryObject, DirectoryUser, EffectiveScope, Id, LoggedInUser, NotFound, Organization,
    RbacRole, RoleChange, RoleList, RoleScope,
};

impl World {
    /// The account a token was issued to, by its login name (a domain prefix aside).
    pub fn logged_in<'a>(&'a self, login: &'a str) -> LoggedInUser<'a> {
        let name = login.rsplit('\\').next().unwrap_or(login);
        let person = self
            .directory_users
            .iter()
            .find(|user| user.name.eq_ignore_ascii_case(name));
        LoggedInUser {
            id: person.map_or_else(
                || Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes()),
                |user| user.id,
            ),
            name,
            person,
        }
    }

    /// The roles that make `user` a restore operator: those naming them or a group they are in.
    pub fn operator_roles<'a>(&'a self, user: &LoggedInUser<'_>) -> Vec<&'a RbacRole> {
        let Some(person) = user.person else {
            return Vec::new();
        };
        self.rbac_roles
            .iter()
            .filter(|role| role.organization_id == person.organization_id)
            .filter(|role| {
                role.operators
                    .iter()
                    .any(|operator| self.names(*operator, person))
            })
            .collect()
    }

    /// What `user` may restore: for each of their roles, the whole organization or the
    /// selected objects (a group standing for its members), less the excluded ones.
    pub fn effective_scope<'a>(&'a self, user: &LoggedInUser<'_>) -> EffectiveScope<'a> {
        let mut scope = EffectiveScope::default();
        for role in self.operator_roles(user) {
            let organization = role.organization_id;
            let entire = role.scope == RoleScope::EntireOrganization;
            let chosen = |object: DirectoryObject| role.selected_items.contains(&object);
            let excluded = |object: DirectoryObject| role.excluded_items.contains(&object);
            let person_in = |list: &[DirectoryObject], person: &DirectoryUser| {
                list.iter().any(|object| self.names(*object, person))
            };
            for person in self.organization_users(organization) {
                let wanted = entire || person_in(&role.selected_items, person);
                if wanted
                    && !person_in(&role.excluded_items, person)
                    && !scope.users.contains(&person)
                {
                    scope.users.push(person);
                }
            }
            for site in self.organization_sites(organization) {
                let object = DirectoryObject::Site(site.id);
                if (entire || chosen(object)) && !excluded(object) && !scope.sites.contains(&site) {
                    scope.sites.push(site);
                }
            }
            for team in self.organization_teams(organization) {
                let object = DirectoryObject::Team(team.id);
                if (entire || chosen(object)) && !excluded(object) && !scope.teams.contains(&team) {
                    scope.teams.push(team);
                }
            }
            if !scope.organizations.contains(&organization) {
                scope.organizations.push(organization);
            }
        }
        scope
    }

    /// Whether a role's `object` stands for `person`: it is them, or a group they are in.
    fn names(&self, object: DirectoryObject, person: &DirectoryUser) -> bool {
        match object {
            DirectoryObject::User(id) => id == person.id,
            DirectoryObject::Group(id) => self
                .groups
                .iter()
                .any(|group| group.id == id && group.has_member(person)),
            DirectoryObject::Site(_) | DirectoryObject::Team(_) => false,
        }
    }

    /// Creates a role in an organization with id `id`.
    pub fn create_role(
        &mut self,
        id: Uuid,
        organization_id: Uuid,
        change: RoleChange,
    ) -> Result<&RbacRole, JobEditError> {
        self.find(&Id::<Organization>::new(organization_id))?;
        let name = change
            .name
            .clone()
            .filter(|name| !name.trim().is_empty())
            .ok_or_else(|| JobEditError::Invalid("A new role must have a name.".to_owned()))?;
        let mut role = RbacRole {
            id,
            organization_id,
            name,
            description: String::new(),
            scope: RoleScope::EntireOrganization,
            operators: Vec::new(),
            selected_items: Vec::new(),
            excluded_items: Vec::new(),
        };
        apply(&mut role, change);
        self.check_role(&role)?;
        self.rbac_roles.push(role);
        Ok(self.rbac_roles.last().expect("the role was just pushed"))
    }

    /// Edits a role: what the change gives replaces what the role had.
    pub fn edit_role(&mut self, id: Uuid, change: RoleChange) -> Result<(), JobEditError> {
        let mut role = self.find(&Id::<RbacRole>::new(id))?.clone();
        apply(&mut role, change);
        self.check_role(&role)?;
        *self.role_mut(id)? = role;
        Ok(())
    }

    pub fn delete_role(&mut self, id: Uuid) -> Result<(), JobEditError> {
        self.find(&Id::<RbacRole>::new(id))?;
        self.rbac_roles.retain(|role| role.id != id);
        Ok(())
    }

    /// Adds objects to one of a role's lists; those already in it stay once.
    pub fn add_role_items(
        &mut self,
        id: Uuid,
        list: RoleList,
        objects: Vec<DirectoryObject>,
    ) -> Result<(), JobEditError> {
        let mut role = self.find(&Id::<RbacRole>::new(id))?.clone();
        for object in objects {
            if !role.list(list).contains(&object) {
                role.list_mut(list).push(object);
            }
        }
        self.check_role(&role)?;
        *self.role_mut(id)? = role;
        Ok(())
    }

    /// Takes objects out of one of a role's lists; every id must be in it.
    pub fn remove_role_items(
        &mut self,
        id: Uuid,
        list: RoleList,
        ids: &[Uuid],
    ) -> Result<(), JobEditError> {
        let mut role = self.find(&Id::<RbacRole>::new(id))?.clone();
        if let Some(missing) = ids
            .iter()
            .find(|id| !role.list(list).iter().any(|object| object.id() == **id))
        {
            return Err(NotFound {
                what: "Role item",
                id: missing.to_string(),
            }
            .into());
        }
        role.list_mut(list)
            .retain(|object| !ids.contains(&object.id()));
        self.check_role(&role)?;
        *self.role_mut(id)? = role;
        Ok(())
    }

    /// A role names a unique name in its organization, at least one operator (users and
    /// groups only), objects of its own organization, and selected objects when it is
    /// limited to them.
    fn check_role(&self, role: &RbacRole) -> Result<(), JobEditError> {
        let invalid = |message: String| Err(JobEditError::Invalid(message));
        if self.rbac_roles.iter().any(|other| {
            other.id != role.id
                && other.organization_id == role.organization_id
                && other.name.eq_ignore_ascii_case(&role.name)
        }) {
            return invalid(format!(
                "A role named '{}' already exists in the organization.",
                role.name
            ));
        }
        if role.operators.is_empty() {
            return invalid("A role must have at least one restore operator.".to_owned());
        }
        if let Some(operator) = role
            .operators
            .iter()
            .find(|object| matches!(object, DirectoryObject::Site(_) | DirectoryObject::Team(_)))
        {
            return invalid(format!(
                "Object '{}' cannot be a restore operator: operators are users and groups.",
                operator.id()
            ));
        }
        if role.scope == RoleScope::SpecificObjects && role.selected_items.is_empty() {
            return invalid(
                "A role limited to specific objects must select at least one.".to_owned(),
            );
        }
        for list in RoleList::ALL {
            for object in role.list(list) {
                let in_organization = self
                    .directory_object(*object)
                    .is_some_and(|found| found.organization_id() == role.organization_id);
                if !in_organization {
                    return Err(NotFound {
                        what: object.kind_name(),
                        id: object.id().to_string(),
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    fn role_mut(&mut self, id: Uuid) -> Result<&mut RbacRole, JobEditError> {
        self.rbac_roles
            .iter_mut()
            .find(|role| role.id == id)
            .ok_or_else(|| Id::<RbacRole>::new(id).not_found().into())
    }
}

fn apply(role: &mut RbacRole, change: RoleChange) {
    let RoleChange {
        name,
        description,
        scope,
        operators,
        selected_items,
        excluded_items,
    } = change;
    if let Some(name) = name.filter(|name| !name.trim().is_empty()) {
        role.name = name;
    }
    if let Some(description) = description {
        role.description = description;
    }
    if let Some(scope) = scope {
        role.scope = scope;
    }
    if let Some(operators) = operators {
        role.operators = operators;
    }
    if let Some(items) = selected_items {
        role.selected_items = items;
    }
    if let Some(items) = excluded_items {
        role.excluded_items = items;
    }
}
