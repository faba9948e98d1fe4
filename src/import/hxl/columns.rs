//! Where each column a 3W sheet's hashtag row names is, and which `#org` columns describe the
//! same organisation.
//!
//! **Organisations.** Every `#org` column that names one (`+name`, or no field attribute)
//! starts an organisation column; the `+code`, `+acronym` and `+type` columns beside it belong
//! to it: each to the nearest organisation on its left with the same role attribute (or any,
//! when it has none) that lacks that field, else the nearest on its right. A `+code` or
//! `+acronym` column with no name column to belong to is an organisation column of its own
//! (sheets that give organisations by acronym only). So two `#org+impl+name` columns are two
//! implementers, and each `#org+type` types its own organisation.

use std::collections::BTreeSet;

use crate::import::Row;
use crate::model::Role;

/// A parsed hashtag: `#org+impl+name` → tag `org`, attributes {impl, name}.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hashtag {
    pub tag: String,
    pub attributes: BTreeSet<String>,
}

impl Hashtag {
    /// Parses one hashtag cell; `None` when it is not a hashtag.
    pub fn parse(cell: &str) -> Option<Self> {
        let cell = cell.trim();
        let rest = cell.strip_prefix('#')?;
        let mut parts = rest.split('+').map(|p| p.trim().to_ascii_lowercase());
        let tag = parts.next().filter(|t| !t.is_empty())?;
        Some(Self {
            tag,
            attributes: parts.filter(|p| !p.is_empty()).collect(),
        })
    }

    fn has(&self, attribute: &str) -> bool {
        self.attributes.contains(attribute)
    }

    /// The role attribute of an `#org` column: `prog`, `impl` or `funder` (`+funding` too).
    fn role_attribute(&self) -> Option<&'static str> {
        ["prog", "impl", "funder", "funding"]
            .into_iter()
            .find(|a| self.has(a))
            .map(|a| if a == "funding" { "funder" } else { a })
    }

    /// Which field of an organisation an `#org` column gives.
    fn org_field(&self) -> OrgField {
        if self.has("name") {
            OrgField::Name
        } else if self.has("code") || self.has("id") {
            OrgField::Code
        } else if self.has("acronym") {
            OrgField::Acronym
        } else if self.has("type") {
            OrgField::Kind
        } else {
            OrgField::Name
        }
    }
}

/// Whether a row is a hashtag row: some cells filled, every filled cell a hashtag.
pub(super) fn is_hashtag_row(row: &Row) -> bool {
    let mut filled = row
        .cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .peekable();
    filled.peek().is_some() && filled.all(|c| Hashtag::parse(c).is_some())
}

/// The role an `#org` column's attribute implies.
pub(super) fn role_of_attribute(attribute: Option<&str>) -> Role {
    match attribute {
        Some("prog") => Role::Lead,
        Some("funder" | "funding") => Role::BurdenSharing,
        _ => Role::Support,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OrgField {
    Name,
    Code,
    Acronym,
    Kind,
}

/// The columns that describe one organisation per row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct OrgColumns {
    pub role_attribute: Option<&'static str>,
    pub name: Option<usize>,
    pub code: Option<usize>,
    pub acronym: Option<usize>,
    pub kind: Option<usize>,
}

impl OrgColumns {
    fn slot(&self, field: OrgField) -> Option<usize> {
        match field {
            OrgField::Name => self.name,
            OrgField::Code => self.code,
            OrgField::Acronym => self.acronym,
            OrgField::Kind => self.kind,
        }
    }

    fn slot_mut(&mut self, field: OrgField) -> &mut Option<usize> {
        match field {
            OrgField::Name => &mut self.name,
            OrgField::Code => &mut self.code,
            OrgField::Acronym => &mut self.acronym,
            OrgField::Kind => &mut self.kind,
        }
    }

    /// Whether a column with this role attribute and field may join this organisation.
    fn takes(&self, role: Option<&'static str>, field: OrgField) -> bool {
        (role.is_none() || role == self.role_attribute) && self.slot(field).is_none()
    }

    fn first_column(&self) -> usize {
        [self.name, self.code, self.acronym, self.kind]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(usize::MAX)
    }

    fn names_nobody(&self) -> bool {
        self.name.is_none() && self.code.is_none() && self.acronym.is_none()
    }
}

/// Groups the `#org` columns into organisations (see the module documentation). Returns the
/// organisations and the `#org` columns that belong to none.
fn org_columns(tags: &[Option<Hashtag>]) -> (Vec<OrgColumns>, Vec<usize>) {
    let mut orgs: Vec<OrgColumns> = Vec::new();
    let mut pending = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let Some(tag) = tag.as_ref().filter(|t| t.tag == "org") else {
            continue;
        };
        let (role, field) = (tag.role_attribute(), tag.org_field());
        if field == OrgField::Name {
            // "#org+acronym, #org+name": the name completes the organisation just begun.
            match orgs.last_mut() {
                Some(last)
                    if last.name.is_none()
                        && last.role_attribute == role
                        && last.kind.is_none()
                        && i > 0
                        && [last.code, last.acronym].contains(&Some(i - 1)) =>
                {
                    last.name = Some(i);
                }
                _ => orgs.push(OrgColumns {
                    role_attribute: role,
                    name: Some(i),
                    ..OrgColumns::default()
                }),
            }
            continue;
        }
        if let Some(org) = orgs.iter_mut().rev().find(|o| o.takes(role, field)) {
            *org.slot_mut(field) = Some(i);
        } else if field == OrgField::Kind {
            pending.push((i, role));
        } else {
            let mut org = OrgColumns {
                role_attribute: role,
                ..OrgColumns::default()
            };
            *org.slot_mut(field) = Some(i);
            orgs.push(org);
        }
    }
    let mut leftover = Vec::new();
    for (i, role) in pending {
        match orgs
            .iter_mut()
            .find(|o| o.first_column() > i && o.takes(role, OrgField::Kind))
        {
            Some(org) => org.kind = Some(i),
            None => leftover.push(i),
        }
    }
    orgs.retain(|o| !o.names_nobody());
    (orgs, leftover)
}

/// The columns that locate a row: `#loc+name`, `#adm1+name`, `#adm1+code`, `#adm2+name`,
/// `#adm2+code`, `#geo+lat`, `#geo+lon`.
#[derive(Debug, Default)]
pub(super) struct PlaceColumns {
    pub name: Option<usize>,
    pub admin1: Option<usize>,
    pub admin1_pcode: Option<usize>,
    pub admin2: Option<usize>,
    pub admin2_pcode: Option<usize>,
    pub lat: Option<usize>,
    pub lon: Option<usize>,
}

/// Where each column Tandem reads is.
#[derive(Debug, Default)]
pub(super) struct Columns {
    pub orgs: Vec<OrgColumns>,
    pub activity_name: Option<usize>,
    pub activity_code: Option<usize>,
    pub sector: Option<usize>,
    pub status: Option<usize>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub country: Option<usize>,
    pub role: Option<usize>,
    pub step: Option<usize>,
    pub place: PlaceColumns,
    /// Columns Tandem does not read (another tag, a second column of a kind read once, an
    /// `#org+type` with no organisation, or no hashtag at all).
    pub unread: Vec<usize>,
}

impl Columns {
    pub fn find(tags: &[Option<Hashtag>]) -> Self {
        let mut read = vec![false; tags.len()];
        let mut column = |pred: &dyn Fn(&Hashtag) -> bool| {
            let i = tags
                .iter()
                .enumerate()
                .position(|(i, t)| !read[i] && t.as_ref().is_some_and(pred))?;
            read[i] = true;
            Some(i)
        };
        let is = |tag: &'static str, attribute: &'static str| {
            move |t: &Hashtag| t.tag == tag && t.has(attribute)
        };
        let plain = |tag: &'static str| move |t: &Hashtag| t.tag == tag && t.attributes.is_empty();
        let activity_code = column(&|t| t.tag == "activity" && (t.has("code") || t.has("id")));
        let activity_name = column(&|t| t.tag == "activity");
        let sector = column(&|t| t.tag == "sector" && !t.has("code"))
            .or_else(|| column(&|t| t.tag == "sector"));
        let place = PlaceColumns {
            name: column(&is("loc", "name")).or_else(|| column(&plain("loc"))),
            admin1: column(&is("adm1", "name")).or_else(|| column(&plain("adm1"))),
            admin1_pcode: column(&is("adm1", "code")).or_else(|| column(&is("adm1", "pcode"))),
            admin2: column(&is("adm2", "name")).or_else(|| column(&plain("adm2"))),
            admin2_pcode: column(&is("adm2", "code")).or_else(|| column(&is("adm2", "pcode"))),
            lat: column(&is("geo", "lat")),
            lon: column(&is("geo", "lon")),
        };
        let mut found = Self {
            orgs: Vec::new(),
            activity_name,
            activity_code,
            sector,
            status: column(&|t| t.tag == "status"),
            start: column(&is("date", "start")),
            end: column(&is("date", "end")),
            country: column(&is("country", "code")),
            role: column(&|t| t.tag == "x_role"),
            step: column(&|t| t.tag == "x_step"),
            place,
            unread: Vec::new(),
        };
        let (orgs, leftover) = org_columns(tags);
        for org in &orgs {
            for i in [org.name, org.code, org.acronym, org.kind]
                .into_iter()
                .flatten()
            {
                if let Some(slot) = read.get_mut(i) {
                    *slot = true;
                }
            }
        }
        found.orgs = orgs;
        found.unread = (0..tags.len())
            .filter(|i| !read[*i] || leftover.contains(i))
            .collect();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(row: &str) -> Vec<Option<Hashtag>> {
        row.split(',').map(Hashtag::parse).collect()
    }

    #[test]
    fn hashtags_ignore_attribute_order_and_case() {
        assert_eq!(
            Hashtag::parse("#org+name+impl"),
            Hashtag::parse(" #ORG +impl +name")
        );
        assert_eq!(Hashtag::parse("Organisation"), None);
        assert_eq!(Hashtag::parse("#"), None);
    }

    #[test]
    fn every_org_column_is_an_organisation_with_its_own_type() {
        let (orgs, leftover) = org_columns(&tags(
            "#org+prog+name,#org+prog+acronym,#org+type,#org+impl+name,#org+impl+type,#org+impl+name,#org+impl+type,#activity+name",
        ));
        assert!(leftover.is_empty());
        assert_eq!(
            orgs,
            [
                OrgColumns {
                    role_attribute: Some("prog"),
                    name: Some(0),
                    acronym: Some(1),
                    kind: Some(2),
                    code: None
                },
                OrgColumns {
                    role_attribute: Some("impl"),
                    name: Some(3),
                    kind: Some(4),
                    ..OrgColumns::default()
                },
                OrgColumns {
                    role_attribute: Some("impl"),
                    name: Some(5),
                    kind: Some(6),
                    ..OrgColumns::default()
                },
            ]
        );
    }

    #[test]
    fn acronyms_alone_or_before_the_name_and_types_before_it() {
        let (orgs, _) = org_columns(&tags("#org+acronym,#org+type,#activity+name"));
        assert_eq!(
            (orgs[0].acronym, orgs[0].kind, orgs.len()),
            (Some(0), Some(1), 1)
        );
        let (orgs, _) = org_columns(&tags("#org+acronym,#org+name,#org+type"));
        assert_eq!(
            (orgs[0].acronym, orgs[0].name, orgs[0].kind, orgs.len()),
            (Some(0), Some(1), Some(2), 1)
        );
        let (orgs, _) = org_columns(&tags("#org+type,#org+name"));
        assert_eq!((orgs[0].name, orgs[0].kind), (Some(1), Some(0)));
        let (orgs, leftover) = org_columns(&tags("#org+type,#activity+name"));
        assert!(orgs.is_empty());
        assert_eq!(leftover, [0]);
    }

    #[test]
    fn columns_not_read_are_listed() {
        let columns = Columns::find(&tags(
            "#activity+name,#org+name,#contact+email,,#activity+name,#org+type,#adm1+name",
        ));
        assert_eq!(columns.unread, [2, 3, 4]);
        assert_eq!(columns.place.admin1, Some(6));
    }
}
