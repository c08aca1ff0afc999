//! What Amazon EC2 shows an Amazon account in a region: instance types, VPCs, subnets and security groups.

use uuid::Uuid;

/// The regions Amazon EC2 answers in.
pub const AMAZON_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
];

/// Where an EC2 question is asked: an Amazon account in a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ec2Scope {
    pub account_id: Uuid,
    pub region: String,
}

/// An EC2 instance type a proxy may run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceType {
    pub name: &'static str,
    pub cores: u32,
    pub memory_bytes: u64,
}

const GIB: u64 = 1 << 30;

/// The instance types every region offers, smallest first.
pub const INSTANCE_TYPES: &[InstanceType] = &[
    InstanceType {
        name: "t3.medium",
        cores: 2,
        memory_bytes: 4 * GIB,
    },
    InstanceType {
        name: "t3.large",
        cores: 2,
        memory_bytes: 8 * GIB,
    },
    InstanceType {
        name: "m5.large",
        cores: 2,
        memory_bytes: 8 * GIB,
    },
    InstanceType {
        name: "m5.xlarge",
        cores: 4,
        memory_bytes: 16 * GIB,
    },
    InstanceType {
        name: "c5.2xlarge",
        cores: 8,
        memory_bytes: 16 * GIB,
    },
    InstanceType {
        name: "r5.2xlarge",
        cores: 8,
        memory_bytes: 64 * GIB,
    },
];

/// A virtual private cloud, a subnet or a security group: an id such as `vpc-0a1b...`, a
/// name and (but for security groups) an IPv4 range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ec2Resource {
    pub id: String,
    pub name: String,
    pub cidr: String,
}

/// An EC2 id (`prefix-` and 17 hex digits) that follows from the world's seed, the account,
/// the region and what the resource is, so the same world answers the same ids.
fn ec2_id(prefix: &str, seed: u64, scope: &Ec2Scope, what: &str) -> String {
    let namespace = Uuid::new_v5(&scope.account_id, &seed.to_le_bytes());
    let hash = Uuid::new_v5(&namespace, format!("{}/{what}", scope.region).as_bytes());
    format!("{prefix}-{}", &hash.simple().to_string()[..17])
}

impl Ec2Scope {
    /// The account's VPCs in the region: the default one and one for backup proxies.
    pub fn vpcs(&self, seed: u64) -> Vec<Ec2Resource> {
        [
            ("default", "172.31.0.0/16"),
            ("vbo-proxies", "10.20.0.0/16"),
        ]
        .iter()
        .map(|(name, cidr)| Ec2Resource {
            id: ec2_id("vpc", seed, self, name),
            name: (*name).to_owned(),
            cidr: (*cidr).to_owned(),
        })
        .collect()
    }

    /// The subnets of `vpc`: one per availability zone, each a /20 of the VPC's range.
    pub fn subnets(&self, seed: u64, vpc: &Ec2Resource) -> Vec<Ec2Resource> {
        let prefix = vpc.cidr.split('.').take(2).collect::<Vec<_>>().join(".");
        ["a", "b", "c"]
            .iter()
            .enumerate()
            .map(|(index, zone)| {
                let name = format!("{}-{}{zone}", vpc.name, self.region);
                Ec2Resource {
                    id: ec2_id("subnet", seed, self, &format!("{}/{name}", vpc.id)),
                    cidr: format!("{prefix}.{}.0/20", index * 16),
                    name,
                }
            })
            .collect()
    }

    /// The security groups of `vpc`: the default one and the one proxies are reached through.
    pub fn security_groups(&self, seed: u64, vpc: &Ec2Resource) -> Vec<Ec2Resource> {
        ["default", "veeam-proxy"]
            .iter()
            .map(|name| Ec2Resource {
                id: ec2_id("sg", seed, self, &format!("{}/{name}", vpc.id)),
                name: (*name).to_owned(),
                cidr: String::new(),
            })
            .collect()
    }
}
