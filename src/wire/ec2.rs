//! `/EC2Resources` (v6 on): the instance types, VPCs, subnets and security groups Amazon EC2 shows an account in a region.

use axum::response::Response;
use serde::Serialize;

use super::ok;
use crate::model::{Ec2Resource, InstanceType};

/// `RESTAmazonInstanceType`.
#[derive(Serialize)]
struct InstanceTypeBody {
    #[serde(rename = "type")]
    name: &'static str,
    cores: u32,
    memory: u64,
}

/// `RESTAmazonVpc` and `RESTAmazonSubnet`.
#[derive(Serialize)]
struct NetworkBody<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "CIDR")]
    cidr: &'a str,
}

/// `RESTAmazonSecurityGroup`.
#[derive(Serialize)]
struct SecurityGroupBody<'a> {
    id: &'a str,
    name: &'a str,
}

pub fn instance_types<'a>(types: impl Iterator<Item = &'a InstanceType>) -> Response {
    let bodies: Vec<InstanceTypeBody> = types
        .map(|kind| InstanceTypeBody {
            name: kind.name,
            cores: kind.cores,
            memory: kind.memory_bytes,
        })
        .collect();
    ok(&bodies)
}

/// VPCs or subnets: both have an id, a name and a range.
pub fn networks<'a>(networks: impl Iterator<Item = &'a Ec2Resource>) -> Response {
    let bodies: Vec<NetworkBody<'_>> = networks
        .map(|network| NetworkBody {
            id: &network.id,
            name: &network.name,
            cidr: &network.cidr,
        })
        .collect();
    ok(&bodies)
}

fn security_group_body(group: &Ec2Resource) -> SecurityGroupBody<'_> {
    SecurityGroupBody {
        id: &group.id,
        name: &group.name,
    }
}

pub fn security_groups<'a>(groups: impl Iterator<Item = &'a Ec2Resource>) -> Response {
    let bodies: Vec<SecurityGroupBody<'_>> = groups.map(security_group_body).collect();
    ok(&bodies)
}

pub fn security_group(group: &Ec2Resource) -> Response {
    ok(&security_group_body(group))
}
