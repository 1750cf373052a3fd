//! Deterministic seeded data shared by both servers.
//!
//! Every sandbox holds the same small sample MSP (BrightPath IT Services and its clients Acme,
//! Northwind and Contoso, with their contacts and five configurations), which the recipes and
//! their tests rely on, plus as many generated companies, contacts, configurations and tickets as
//! [`SeedOptions`] asks for. Generated records are a pure function of the seed and their index,
//! so a record can be rendered when it is asked for instead of being held in memory, and two
//! servers started from the same options agree: the ScreenConnect side names its access sessions
//! after the [`Device`]s of [`Seed::devices`], which are the Manage configurations.

use serde::{Deserialize, Serialize};

/// The largest number of generated companies.
pub const MAX_COMPANIES: u32 = 10_000;
/// The largest number of generated contacts or configurations per generated company.
pub const MAX_PER_COMPANY: u32 = 99;

/// The seed and sizes of the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SeedOptions {
    /// The seed every generated value derives from.
    pub seed: u64,
    /// Generated client companies beyond the sample ones (at most [`MAX_COMPANIES`]).
    pub companies: u32,
    /// Contacts of each generated company (at most [`MAX_PER_COMPANY`]).
    pub contacts_per_company: u32,
    /// Configurations (devices) of each generated company (at most [`MAX_PER_COMPANY`]).
    pub configurations_per_company: u32,
    /// Generated tickets beyond the sample ones (up to millions; rendered on demand).
    pub tickets: u64,
    /// Notes of each generated ticket.
    pub notes_per_ticket: u32,
}

impl Default for SeedOptions {
    /// The sample MSP alone, seed 1.
    fn default() -> Self {
        SeedOptions {
            seed: 1,
            companies: 0,
            contacts_per_company: 2,
            configurations_per_company: 3,
            tickets: 0,
            notes_per_ticket: 1,
        }
    }
}

impl SeedOptions {
    /// The sizes clamped to what the id ranges hold.
    pub fn clamped(&self) -> SeedOptions {
        SeedOptions {
            companies: self.companies.min(MAX_COMPANIES),
            contacts_per_company: self.contacts_per_company.min(MAX_PER_COMPANY),
            configurations_per_company: self.configurations_per_company.min(MAX_PER_COMPANY),
            notes_per_ticket: self.notes_per_ticket.min(MAX_PER_COMPANY),
            ..self.clone()
        }
    }
}

/// A company of the seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Company {
    /// The Manage record id.
    pub id: i64,
    /// The short identifier (`ACME`).
    pub identifier: String,
    /// The name (`Acme Corporation`).
    pub name: String,
    /// The city.
    pub city: String,
    /// The main phone number, digits only.
    pub phone: String,
}

/// A contact of the seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// The Manage record id.
    pub id: i64,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// The company's record id.
    pub company_id: i64,
    /// Job title.
    pub title: String,
    /// Email address (the contact's one communication item).
    pub email: String,
}

impl Contact {
    /// `First Last`.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A managed machine: a Manage configuration, and the ScreenConnect access session of the same
/// name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Device {
    /// The Manage configuration id.
    pub configuration_id: i64,
    /// The machine name, also the access session's name.
    pub name: String,
    /// The owning company's record id.
    pub company_id: i64,
    /// The owning company's identifier.
    pub company_identifier: String,
    /// The owning company's name.
    pub company_name: String,
    /// The contact who uses the machine, if any.
    pub contact_id: Option<i64>,
    /// That contact's full name.
    pub contact_name: Option<String>,
    /// The configuration type's name (`Workstation`, `Server`, `Laptop`, `Network Device`).
    pub type_name: String,
    /// The operating system (`Windows 11 Pro`).
    pub os: String,
    /// The serial number.
    pub serial_number: String,
}

/// The data of one seed: companies, contacts and devices (small enough to hold), and the
/// generated tickets' facts on demand.
#[derive(Clone, Debug)]
pub struct Seed {
    options: SeedOptions,
    companies: Vec<Company>,
    contacts: Vec<Contact>,
    devices: Vec<Device>,
}

impl Seed {
    /// Generates the data for `options` (sizes clamped, see [`SeedOptions::clamped`]).
    pub fn new(options: &SeedOptions) -> Seed {
        let options = options.clamped();
        let mut seed = Seed {
            companies: sample_companies(),
            contacts: sample_contacts(),
            devices: Vec::new(),
            options,
        };
        seed.devices = sample_devices(&seed.companies, &seed.contacts);
        for index in 0..seed.options.companies {
            seed.generate_company(index);
        }
        seed
    }

    /// The options this seed was made from.
    pub fn options(&self) -> &SeedOptions {
        &self.options
    }

    /// Every company, the sample ones first; the MSP itself (`BRIGHTPATH`) among them.
    pub fn companies(&self) -> &[Company] {
        &self.companies
    }

    /// Every contact.
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }

    /// Every device: the Manage configurations, which are also the ScreenConnect access sessions.
    pub fn devices(&self) -> &[Device] {
        &self.devices
    }

    /// The company with this record id.
    pub fn company(&self, id: i64) -> Option<&Company> {
        self.companies.iter().find(|company| company.id == id)
    }

    /// The contact with this record id.
    pub fn contact(&self, id: i64) -> Option<&Contact> {
        self.contacts.iter().find(|contact| contact.id == id)
    }

    /// The client companies tickets are raised for (every company but the MSP).
    pub fn client_companies(&self) -> impl Iterator<Item = &Company> {
        self.companies
            .iter()
            .filter(|company| company.id != MSP_COMPANY_ID)
    }

    /// A value in `0..bound` derived from the seed, a stream name and an index: the same inputs
    /// always give the same value, whatever else was generated before.
    pub fn pick(&self, stream: &str, index: u64, bound: u64) -> u64 {
        pick(self.options.seed, stream, index, bound)
    }

    fn generate_company(&mut self, index: u32) {
        let id = GENERATED_COMPANY_BASE + i64::from(index);
        let seed = self.options.seed;
        let word = |stream: &str, list: &[&'static str]| -> &'static str {
            list[pick(seed, stream, u64::from(index), list.len() as u64) as usize]
        };
        let first = word("company.first", COMPANY_WORDS);
        let second = word("company.second", COMPANY_KINDS);
        let identifier = format!("{}{index:04}", first.to_ascii_uppercase());
        let company = Company {
            id,
            name: format!("{first} {second}"),
            city: word("company.city", CITIES).to_owned(),
            phone: format!(
                "602555{:04}",
                pick(seed, "company.phone", u64::from(index), 10_000)
            ),
            identifier,
        };
        for j in 0..self.options.contacts_per_company {
            let n = u64::from(index) * 100 + u64::from(j);
            let first_name = word_at(seed, "contact.first", n, FIRST_NAMES);
            let last_name = word_at(seed, "contact.last", n, LAST_NAMES);
            self.contacts.push(Contact {
                id: GENERATED_CONTACT_BASE + i64::from(index) * 100 + i64::from(j),
                email: format!(
                    "{}{}@{}.example",
                    first_name[..1].to_ascii_lowercase(),
                    last_name.to_ascii_lowercase(),
                    company.identifier.to_ascii_lowercase()
                ),
                first_name: first_name.to_owned(),
                last_name: last_name.to_owned(),
                company_id: id,
                title: word_at(seed, "contact.title", n, TITLES).to_owned(),
            });
        }
        let contacts_of_company: Vec<&Contact> = self
            .contacts
            .iter()
            .filter(|contact| contact.company_id == id)
            .collect();
        for j in 0..self.options.configurations_per_company {
            let n = u64::from(index) * 100 + u64::from(j);
            let (type_name, code, os) = DEVICE_KINDS[pick(seed, "device.kind", n, 4) as usize];
            let contact = (!contacts_of_company.is_empty())
                .then(|| contacts_of_company[j as usize % contacts_of_company.len()]);
            self.devices.push(Device {
                configuration_id: GENERATED_DEVICE_BASE + i64::from(index) * 100 + i64::from(j),
                name: format!("{}-{code}-{:03}", company.identifier, j + 1),
                company_id: id,
                company_identifier: company.identifier.clone(),
                company_name: company.name.clone(),
                contact_id: contact.map(|contact| contact.id),
                contact_name: contact.map(Contact::full_name),
                type_name: type_name.to_owned(),
                os: os.to_owned(),
                serial_number: format!("SN{:08X}", pick(seed, "device.serial", n, 1 << 32)),
            });
        }
        self.companies.push(company);
    }
}

/// The MSP's own company id (the sample `BRIGHTPATH`).
pub const MSP_COMPANY_ID: i64 = 19300;
/// Generated companies have ids from here.
pub const GENERATED_COMPANY_BASE: i64 = 20_000;
/// Generated contacts have ids from here (`base + company index * 100 + n`).
pub const GENERATED_CONTACT_BASE: i64 = 1_000_000;
/// Generated configurations have ids from here (`base + company index * 100 + n`).
pub const GENERATED_DEVICE_BASE: i64 = 2_000_000;

/// A value in `0..bound` (0 when `bound` is 0) from the seed, a stream name and an index
/// (SplitMix64 over their combination: cheap, stateless, well spread).
pub fn pick(seed: u64, stream: &str, index: u64, bound: u64) -> u64 {
    pick_in(stream_key(seed, stream), index, bound)
}

/// The key of a named stream of draws, for [`pick_in`] (what [`pick`] computes on every call).
pub fn stream_key(seed: u64, stream: &str) -> u64 {
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    for byte in stream.bytes() {
        state = mix(state ^ u64::from(byte));
    }
    state
}

/// A value in `0..bound` (0 when `bound` is 0) from a stream key and an index.
pub fn pick_in(stream: u64, index: u64, bound: u64) -> u64 {
    if bound == 0 {
        return 0;
    }
    mix(stream ^ index.wrapping_mul(0xd134_2543_de82_ef95)) % bound
}

/// One SplitMix64 step.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn word_at(seed: u64, stream: &str, index: u64, list: &[&'static str]) -> &'static str {
    list[pick(seed, stream, index, list.len() as u64) as usize]
}

const COMPANY_WORDS: &[&str] = &[
    "Falcon", "Summit", "Harbor", "Cedar", "Granite", "Meridian", "Beacon", "Willow", "Aspen",
    "Copper", "Juniper", "Redwood", "Silver", "Bluebird", "Canyon", "Orchard",
];
const COMPANY_KINDS: &[&str] = &[
    "Dental Group",
    "Law Partners",
    "Logistics",
    "Family Clinic",
    "Accounting",
    "Realty",
    "Engineering",
    "Veterinary",
    "Construction",
    "Insurance",
];
const CITIES: &[&str] = &[
    "Phoenix",
    "Tucson",
    "Mesa",
    "Chandler",
    "Scottsdale",
    "Tempe",
];
const FIRST_NAMES: &[&str] = &[
    "Ava", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jamal", "Kara",
    "Liam", "Mina", "Noah", "Olga", "Pedro",
];
const LAST_NAMES: &[&str] = &[
    "Reyes", "Kim", "Novak", "Okafor", "Schmidt", "Tanaka", "Walsh", "Haddad", "Ivanova", "Larsen",
    "Moreau", "Singh",
];
const TITLES: &[&str] = &[
    "Office Manager",
    "Bookkeeper",
    "Owner",
    "Receptionist",
    "Operations Lead",
    "Paralegal",
];
/// `(configuration type, name code, operating system)`.
const DEVICE_KINDS: [(&str, &str, &str); 4] = [
    ("Workstation", "WS", "Windows 11 Pro"),
    ("Laptop", "LT", "Windows 11 Pro"),
    ("Server", "SRV", "Windows Server 2022"),
    ("Network Device", "FW", "FortiOS 7.2"),
];

fn sample_companies() -> Vec<Company> {
    let company = |id: i64, identifier: &str, name: &str, city: &str, phone: &str| Company {
        id,
        identifier: identifier.to_owned(),
        name: name.to_owned(),
        city: city.to_owned(),
        phone: phone.to_owned(),
    };
    vec![
        company(250, "ACME", "Acme Corporation", "Phoenix", "6025550100"),
        company(
            251,
            "NORTHWIND",
            "Northwind Traders",
            "Tucson",
            "5205550142",
        ),
        company(252, "CONTOSO", "Contoso Dental Group", "Mesa", "4805550199"),
        company(
            MSP_COMPANY_ID,
            "BRIGHTPATH",
            "BrightPath IT Services",
            "Phoenix",
            "6025550001",
        ),
    ]
}

fn sample_contacts() -> Vec<Contact> {
    let contact =
        |id: i64, first: &str, last: &str, company_id: i64, title: &str, email: &str| Contact {
            id,
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            company_id,
            title: title.to_owned(),
            email: email.to_owned(),
        };
    vec![
        contact(
            1042,
            "Sarah",
            "Johnson",
            250,
            "Office Manager",
            "sjohnson@acmecorp.com",
        ),
        contact(
            1043,
            "Mike",
            "Chen",
            250,
            "Controller",
            "mchen@acmecorp.com",
        ),
        contact(
            1101,
            "Priya",
            "Patel",
            251,
            "Sales Director",
            "ppatel@northwindtraders.com",
        ),
        contact(
            1102,
            "Lena",
            "Fischer",
            251,
            "HR Coordinator",
            "lfischer@northwindtraders.com",
        ),
        contact(
            1201,
            "Tom",
            "Alvarez",
            252,
            "Practice Manager",
            "talvarez@contosodental.com",
        ),
    ]
}

/// A sample device: id, name, type, company, contact, serial and operating system.
type DeviceRow = (
    i64,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    &'static str,
    &'static str,
);

fn sample_devices(companies: &[Company], contacts: &[Contact]) -> Vec<Device> {
    // (id, name, type, company, contact, serial, os)
    let rows: [DeviceRow; 5] = [
        (
            301,
            "ACME-WS-042",
            "Workstation",
            250,
            Some(1042),
            "PC0X4T7Q",
            "Windows 11 Pro",
        ),
        (
            302,
            "ACME-SRV-01",
            "Server",
            250,
            None,
            "CZ2941B7KD",
            "Windows Server 2022",
        ),
        (
            303,
            "NW-LT-007",
            "Laptop",
            251,
            Some(1101),
            "C02G81XQMD6M",
            "macOS 14",
        ),
        (
            304,
            "CONTOSO-FD-01",
            "Workstation",
            252,
            Some(1201),
            "5CG1234XYZ",
            "Windows 10 Pro",
        ),
        (
            305,
            "ACME-FW-01",
            "Network Device",
            250,
            None,
            "FGT60FTK2109",
            "FortiOS 7.2",
        ),
    ];
    rows.iter()
        .map(
            |&(id, name, type_name, company_id, contact_id, serial, os)| {
                let company = companies.iter().find(|company| company.id == company_id);
                let contact = contact_id.and_then(|id| contacts.iter().find(|c| c.id == id));
                Device {
                    configuration_id: id,
                    name: name.to_owned(),
                    company_id,
                    company_identifier: company.map(|c| c.identifier.clone()).unwrap_or_default(),
                    company_name: company.map(|c| c.name.clone()).unwrap_or_default(),
                    contact_id,
                    contact_name: contact.map(Contact::full_name),
                    type_name: type_name.to_owned(),
                    os: os.to_owned(),
                    serial_number: serial.to_owned(),
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_options_give_the_same_data() {
        let options = SeedOptions {
            seed: 7,
            companies: 20,
            ..SeedOptions::default()
        };
        let a = Seed::new(&options);
        let b = Seed::new(&options);
        assert_eq!(a.devices(), b.devices());
        assert_eq!(a.contacts(), b.contacts());
        assert_eq!(a.devices().len(), 5 + 20 * 3);
        let other = Seed::new(&SeedOptions { seed: 8, ..options });
        assert_ne!(a.devices(), other.devices());
    }

    #[test]
    fn device_ids_and_names_are_unique() {
        let seed = Seed::new(&SeedOptions {
            companies: 300,
            configurations_per_company: 5,
            ..SeedOptions::default()
        });
        let mut ids: Vec<i64> = seed.devices().iter().map(|d| d.configuration_id).collect();
        let mut names: Vec<&str> = seed.devices().iter().map(|d| d.name.as_str()).collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!((ids.len(), names.len()), (count, count));
    }
}
