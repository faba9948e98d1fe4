//! Importing HXL 3W sheets and ACLED extracts, from the library and the CLI.

use std::path::{Path, PathBuf};
use std::process::Command;

use tandem::import::{ImportError, ImportPlan, plan_acled, plan_hxl};
use tandem::model::edit::{Edit, apply};
use tandem::model::{
    ActorKind, EventKind, Instrument, PartialDate, PartnerCategory, Precision, Role, Situation,
    Status,
};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn blank() -> Situation {
    tandem::io::parse_situation(tandem::samples::BLANK)
        .unwrap()
        .situation
}

fn applied(plan: &ImportPlan, into: &Situation) -> Situation {
    let mut after = into.clone();
    plan.apply(&mut after).unwrap();
    after
}

/// The assignments as (line title, partner name, role), sorted: independent of ids and order.
fn matrix(s: &Situation) -> Vec<(String, String, Role)> {
    let mut out: Vec<_> = s
        .assignments
        .iter()
        .map(|a| {
            (
                s.line(&a.line).unwrap().title.clone(),
                s.partner(&a.partner).unwrap().name.clone(),
                a.role,
            )
        })
        .collect();
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}

fn partner_names(s: &Situation) -> Vec<(String, PartnerCategory)> {
    let mut out: Vec<_> = s
        .partners
        .iter()
        .map(|p| (p.name.clone(), p.category))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

// ---------- HXL ----------

#[test]
fn guinea_3w_sheet_imports_with_the_bad_row_skipped() {
    let bytes = std::fs::read(data("3w-guinea.csv")).unwrap();
    let into = blank();
    let plan = plan_hxl(&bytes, &into).unwrap();
    assert!(matches!(&plan.edit, Edit::Batch { .. }));
    assert_eq!(plan.rows_read, 8);
    assert_eq!(plan.rows_skipped, 1);
    let skipped: Vec<String> = plan.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        skipped,
        [
            "line 3: column 15 (#contact+email, \"Contact\"): 1 filled cell not imported: Tandem does not read this hashtag",
            "line 3: column 16 (no hashtag, \"Comments\"): 4 filled cells not imported: it has no hashtag",
            "line 9: start date \"2010-13\" is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)"
        ]
    );
    let after = applied(&plan, &into);
    assert!(after.line("loe-05").is_none(), "the skipped row's line");
    assert_eq!(after.lines.len(), 5);
    assert_eq!(after.partners.len(), 8);
    assert_eq!(plan.counts.partners.created, 8);
    assert_eq!(plan.counts.lines.created, 5);
    assert_eq!(plan.counts.assignments.created, after.assignments.len());

    let mediation = after.line("loe-01").unwrap();
    assert_eq!(mediation.title, "ECOWAS-led mediation of the transition");
    assert_eq!(mediation.instrument, Instrument::GoodOffices);
    assert_eq!(mediation.sector, "", "the sector named the instrument");
    assert_eq!(mediation.status, Status::Active, "\"Ongoing\"");
    let start = mediation.start.unwrap();
    assert_eq!(start.precision(), Precision::Month, "partial date kept");
    assert_eq!(start.to_string(), "2009-10");
    let contact_group = after.line("loe-03").unwrap();
    assert_eq!(contact_group.start.unwrap().precision(), Precision::Year);
    assert_eq!(after.line("loe-02").unwrap().status, Status::Completed);

    let by_name = |name: &str| after.partners.iter().find(|p| p.name == name).unwrap();
    let ecowas = by_name("Economic Community of West African States");
    assert_eq!(ecowas.category, PartnerCategory::Subregional);
    assert_eq!(
        by_name("United Nations Office for West Africa").category,
        PartnerCategory::UnSystem
    );
    assert_eq!(by_name("African Union").category, PartnerCategory::Regional);
    let pbf = by_name("Peacebuilding Fund");
    let unowa = by_name("United Nations Office for West Africa");
    // +prog → lead, +impl → support, +funder → burden-sharing.
    assert_eq!(
        after.assignment("loe-01", &ecowas.id).unwrap().role,
        Role::Lead
    );
    assert_eq!(
        after.assignment("loe-01", &unowa.id).unwrap().role,
        Role::Support
    );
    assert_eq!(
        after.assignment("loe-04", &pbf.id).unwrap().role,
        Role::BurdenSharing
    );
    assert_eq!(after.countries, vec!["GIN".to_owned()]);
    assert!(
        tandem::model::validate(&after)
            .iter()
            .all(|d| d.severity != tandem::model::Severity::Error)
    );
}

const SHEET: &str = "\
#activity+code,#activity+name,#org+name+impl,#org+type+impl,#date+start,#status
LOE-1,Mediation,ECOWAS,Subregional organisation,2009-10,Active
LOE-2,Commission of inquiry,OHCHR,UN Agency,2009,Completed
";

fn reordered(columns: &[usize], header_rows: &[&str], extra: bool) -> String {
    let mut out = String::new();
    for h in header_rows {
        out.push_str(h);
        out.push('\n');
    }
    for line in SHEET.lines() {
        let cells: Vec<&str> = line.split(',').collect();
        let mut row: Vec<String> = columns.iter().map(|&i| cells[i].to_owned()).collect();
        if extra {
            let unknown = if line.starts_with('#') {
                "#contact+email"
            } else {
                "someone@example.org"
            };
            row.insert(1, unknown.into());
            row.push(if line.starts_with('#') {
                "".into()
            } else {
                "free text".into()
            });
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn hxl_columns_are_found_by_tag_in_any_order_with_unknown_columns_and_header_rows() {
    let reference = applied(&plan_hxl(SHEET.as_bytes(), &blank()).unwrap(), &blank());
    assert_eq!(reference.partners.len(), 2);
    assert_eq!(reference.lines.len(), 2);
    assert_eq!(reference.assignments.len(), 2);
    let variants = [
        reordered(&[5, 4, 3, 2, 1, 0], &[], false),
        reordered(&[2, 0, 4, 1, 5, 3], &[], true),
        reordered(
            &[3, 1, 0, 5, 2, 4],
            &[
                "Who does what, Guinea,,,,",
                "Code,Activity,Org,Type,Start,Status",
            ],
            true,
        ),
    ];
    for csv in &variants {
        let plan = plan_hxl(csv.as_bytes(), &blank()).unwrap();
        assert_eq!(
            (plan.rows_skipped, plan.cells_skipped),
            (0, 0),
            "{csv}\n{:?}",
            plan.skipped
        );
        assert!(
            plan.skipped
                .iter()
                .all(|s| s.message.contains("#contact+email") || s.message.contains("no hashtag")),
            "only the unknown columns are listed: {:?}",
            plan.skipped
        );
        let got = applied(&plan, &blank());
        assert_eq!(got.partners, reference.partners, "{csv}");
        assert_eq!(got.lines, reference.lines, "{csv}");
        assert_eq!(got.assignments, reference.assignments, "{csv}");
    }
}

#[test]
fn hxl_attribute_order_does_not_matter() {
    let a = "#org+name+impl,#activity+code\nECOWAS,loe-1\n";
    let b = "#org+impl+name,#activity+code\nECOWAS,loe-1\n";
    let c = "#ORG +impl +name,#activity+code\nECOWAS,loe-1\n";
    let sa = applied(&plan_hxl(a.as_bytes(), &blank()).unwrap(), &blank());
    for other in [b, c] {
        let so = applied(&plan_hxl(other.as_bytes(), &blank()).unwrap(), &blank());
        assert_eq!(so, sa);
    }
    assert_eq!(sa.assignments[0].role, Role::Support);
}

#[test]
fn x_role_wins_over_the_org_attribute() {
    let csv = "#org+name+impl,#activity+code,#x_role,#x_step\n\
               ECOWAS,loe-1,lead,\n\
               UNOWA,loe-1,sequential,2\n\
               AU,loe-1,chief,\n\
               EU,loe-1,,\n";
    let plan = plan_hxl(csv.as_bytes(), &blank()).unwrap();
    let s = applied(&plan, &blank());
    assert_eq!(s.assignment("loe-1", "ecowas").unwrap().role, Role::Lead);
    assert_eq!(
        s.assignment("loe-1", "unowa").unwrap().role,
        Role::Sequential(2)
    );
    assert_eq!(s.assignment("loe-1", "eu").unwrap().role, Role::Support);
    assert!(s.partner("au").is_none());
    assert_eq!(plan.skipped.len(), 1);
    assert!(
        plan.skipped[0]
            .to_string()
            .starts_with("line 4: role \"chief\"")
    );
}

const SECTORS: &str = "\
#activity+code,#activity+name,#org+name+impl,#sector
LOE-1,Protection monitoring,NRC,Protection
LOE-1,Protection monitoring,DRC,Shelter
LOE-2,Mediation of the transition,ECOWAS,good  OFFICES
LOE-3,Radio programmes,Search for Common Ground,
";

#[test]
fn a_sector_that_names_no_instrument_is_the_lines_sector_not_a_note() {
    let plan = plan_hxl(SECTORS.as_bytes(), &blank()).unwrap();
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    let s = applied(&plan, &blank());
    let line = |id: &str| s.line(id).unwrap();
    assert_eq!(line("loe-1").sector, "Protection", "the first row's sector");
    assert_eq!(line("loe-1").instrument, Instrument::Other);
    assert_eq!(line("loe-2").instrument, Instrument::GoodOffices);
    assert_eq!(line("loe-2").sector, "", "the sector named the instrument");
    assert_eq!(line("loe-3").sector, "");
    for l in &s.lines {
        assert_eq!(l.notes, "", "{}: nothing pasted into notes", l.id);
    }
    // Into a situation whose line has no sector yet: the sheet's fills it in, once.
    let mut into = blank();
    into.lines.push(tandem::model::LineOfEffort::new(
        "loe-1",
        "Protection monitoring",
        Instrument::Other,
    ));
    let s = applied(&plan_hxl(SECTORS.as_bytes(), &into).unwrap(), &into);
    assert_eq!(s.line("loe-1").unwrap().sector, "Protection");
    assert_eq!(s.line("loe-1").unwrap().notes, "");
    // A sector already there is kept.
    into.lines[0].sector = "Education".into();
    let s = applied(&plan_hxl(SECTORS.as_bytes(), &into).unwrap(), &into);
    assert_eq!(s.line("loe-1").unwrap().sector, "Education");
}

#[test]
fn importing_the_same_sheet_twice_does_not_duplicate() {
    let bytes = std::fs::read(data("3w-guinea.csv")).unwrap();
    let first = plan_hxl(&bytes, &blank()).unwrap();
    let once = applied(&first, &blank());
    let second = plan_hxl(&bytes, &once).unwrap();
    assert!(second.is_noop(), "{:?}", second.edit);
    assert_eq!(second.counts.partners.created, 0);
    assert_eq!(second.counts.lines.created, 0);
    assert_eq!(second.counts.assignments.created, 0);
    assert_eq!(second.counts.partners.merged, once.partners.len());
    assert_eq!(second.counts.lines.merged, once.lines.len());
    assert_eq!(applied(&second, &once), once);
}

#[test]
fn organisations_merge_with_existing_partners_by_name_or_acronym() {
    let mut into = blank();
    let existing = "#org+name,#org+acronym,#org+type,#activity+code\n\
                    Communauté économique des États de l'Afrique de l'Ouest,ECOWAS,Subregional organization,loe-1\n";
    into = applied(&plan_hxl(existing.as_bytes(), &into).unwrap(), &into);
    assert_eq!(into.partners.len(), 1);
    let csv = "#org+name+prog,#activity+code\n\
               COMMUNAUTE  ECONOMIQUE des etats de l'afrique de l'ouest,loe-2\n\
               ecowas,loe-3\n";
    let plan = plan_hxl(csv.as_bytes(), &into).unwrap();
    let after = applied(&plan, &into);
    assert_eq!(after.partners.len(), 1, "{:?}", after.partners);
    assert_eq!(plan.counts.partners.merged, 1);
    assert_eq!(after.assignments.len(), 3);
}

#[test]
fn import_is_one_undoable_step() {
    let bytes = std::fs::read(data("3w-guinea.csv")).unwrap();
    let into = blank();
    let plan = plan_hxl(&bytes, &into).unwrap();
    let mut after = into.clone();
    let inverse = apply(&mut after, plan.edit.clone()).unwrap();
    assert_ne!(after, into);
    apply(&mut after, inverse).unwrap();
    assert_eq!(after, into);
}

#[test]
fn a_file_without_hashtags_is_refused_with_a_reason() {
    let err = plan_hxl(b"Organisation,Activity\nECOWAS,Mediation\n", &blank()).unwrap_err();
    assert!(matches!(err, ImportError::NoHashtagRow { .. }));
    assert!(err.to_string().contains("#org+name"));
    assert_eq!(plan_hxl(b"", &blank()).unwrap_err(), ImportError::Empty);
}

// ---------- ACLED ----------

#[test]
fn acled_extract_imports_with_all_three_precisions_and_the_missing_date_skipped() {
    let bytes = std::fs::read(data("acled-guinea.csv")).unwrap();
    let into = blank();
    let plan = plan_acled(&bytes, &into).unwrap();
    assert_eq!(plan.rows_read, 6);
    assert_eq!(plan.rows_skipped, 1, "{:?}", plan.skipped);
    let skipped: Vec<String> = plan.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        skipped,
        [
            "line 1: column 5 (disorder_type): 6 filled cells not imported: Tandem does not read this column",
            "line 1: column 15 (civilian_targeting): 1 filled cell not imported: Tandem does not read this column",
            "line 1: column 26 (source_scale): 6 filled cells not imported: Tandem does not read this column",
            "line 1: column 30 (timestamp): 6 filled cells not imported: Tandem does not read this column",
            "line 5: event GIN1004: event_date is empty",
        ]
    );
    assert_eq!(plan.counts.events.created, 5);
    assert_eq!(plan.counts.events.skipped, 1);
    let s = applied(&plan, &into);

    let stadium = s.event("gin1001").unwrap();
    assert_eq!(stadium.kind, EventKind::Incident);
    assert_eq!(stadium.date, PartialDate::day(2009, 9, 28).unwrap());
    assert_eq!(
        stadium.title,
        "Violence against civilians — Attack in Conakry"
    );
    assert_eq!(stadium.source, "Human Rights Watch; Reuters");
    assert_eq!(stadium.fatalities, Some(156));
    assert!(
        stadium
            .description
            .starts_with("ILLUSTRATIVE row. On 28 September 2009")
    );
    assert_eq!(
        stadium.notes, "",
        "ACLED's columns are never pasted into notes"
    );
    let place = stadium.place.as_ref().unwrap();
    assert_eq!(place.describe(), "Conakry, GIN");
    assert_eq!(place.admin1, "Conakry");
    assert_eq!(place.country, "GIN");
    assert_eq!(
        place.coordinates,
        Some(tandem::model::Coordinates::new(9.537, -13.6785).unwrap())
    );
    assert_eq!(s.countries, ["GIN"]);

    // time_precision 2 (within a week): the day is kept, as Tandem has no week precision.
    let week = s.event("gin1002").unwrap();
    assert_eq!(week.date, PartialDate::day(2009, 9, 29).unwrap());
    assert_eq!(week.notes, "", "the precision is not pasted into notes");
    let notices: Vec<String> = plan.notices.iter().map(|n| n.to_string()).collect();
    assert!(
        notices.contains(
            &"1 event dated by ACLED to within a week (time_precision 2): kept on ACLED's day"
                .to_owned()
        ),
        "{notices:?}"
    );

    // time_precision 3 (within the month): the date itself is known to the month.
    let month = s.event("gin1003").unwrap();
    assert_eq!(month.date.precision(), Precision::Month);
    assert_eq!(month.date.to_string(), "2009-10");
    assert_eq!(month.notes, "", "the precision is not pasted into notes");

    let military = s
        .actors
        .iter()
        .find(|a| a.name == "Military Forces of Guinea (2008-2010)")
        .unwrap();
    assert_eq!(military.kind, ActorKind::Military);
    let rioters = s
        .actors
        .iter()
        .find(|a| a.name == "Rioters (Guinea)")
        .unwrap();
    assert_eq!(rioters.kind, ActorKind::CivilSociety);
    assert!(stadium.actors.contains(&military.id));
    assert_eq!(
        s.actors
            .iter()
            .filter(|a| a.name.starts_with("Military Forces of Guinea"))
            .count(),
        1,
        "an actor named on several rows is created once"
    );
}

#[test]
fn acled_twice_does_not_duplicate_and_matches_existing_actors() {
    let bytes = std::fs::read(data("acled-guinea.csv")).unwrap();
    let once = applied(&plan_acled(&bytes, &blank()).unwrap(), &blank());
    let again = plan_acled(&bytes, &once).unwrap();
    assert!(again.is_noop());
    assert_eq!(again.counts.events.merged, 5);
    assert_eq!(again.counts.events.created, 0);
    assert_eq!(applied(&again, &once), once);
}

#[test]
fn acled_columns_in_any_order_and_both_date_forms() {
    let csv = "location,event_date,event_id_cnty,time_precision,event_type,sub_event_type,actor1\n\
               Labé,2009-09-28,GIN9,1,Protests,Peaceful protest,Protesters (Guinée)\n\
               Kankan,28 September 2009,GIN10,1,Protests,Peaceful protest,PROTESTERS  (GUINEE)\n\
               Kindia,2009-02-30,GIN11,1,Protests,Peaceful protest,\n\
               Boké,2009-09-28,GIN12,7,Protests,Peaceful protest,\n";
    let plan = plan_acled(csv.as_bytes(), &blank()).unwrap();
    let s = applied(&plan, &blank());
    assert_eq!(
        s.event("gin9").unwrap().date,
        s.event("gin10").unwrap().date
    );
    assert_eq!(s.actors.len(), 1, "names compared without case or accents");
    assert_eq!(s.actors[0].kind, ActorKind::CivilSociety);
    let lines: Vec<String> = plan.skipped.iter().map(|i| i.to_string()).collect();
    assert!(lines[0].starts_with("line 4: event GIN11: event_date \"2009-02-30\" is not a date"));
    assert!(lines[1].starts_with("line 5: event GIN12: time_precision \"7\""));
}

#[test]
fn acled_time_precision_is_the_dates_own_precision_and_never_a_note() {
    let csv = "event_id_cnty,event_date,time_precision,event_type\n\
               GIN21,2009-09-28,1,Protests\n\
               GIN22,2009-09-28,2,Protests\n\
               GIN23,2009-09-28,3,Protests\n\
               GIN24,2009-09-28,,Protests\n\
               GIN25,2009-09-30,2,Protests\n";
    let plan = plan_acled(csv.as_bytes(), &blank()).unwrap();
    let s = applied(&plan, &blank());
    let day = PartialDate::day(2009, 9, 28).unwrap();
    for (id, date) in [
        ("gin21", day),
        ("gin22", day),
        ("gin23", PartialDate::month(2009, 9).unwrap()),
        ("gin24", day),
        ("gin25", PartialDate::day(2009, 9, 30).unwrap()),
    ] {
        let event = s.event(id).unwrap();
        assert_eq!(event.date, date, "{id}");
        assert_eq!(event.date.precision(), date.precision(), "{id}");
        assert_eq!(event.notes, "", "{id}: nothing pasted into notes");
    }
    let notices: Vec<String> = plan.notices.iter().map(|n| n.to_string()).collect();
    assert_eq!(
        notices,
        [
            "line 5: event GIN24: no time_precision; the day is taken as exact",
            "2 events dated by ACLED to within a week (time_precision 2): kept on ACLED's day",
        ]
    );
    // Imported again, nothing is created, so nothing is counted.
    let again = plan_acled(csv.as_bytes(), &s).unwrap();
    assert!(again.is_noop());
    assert!(
        again
            .notices
            .iter()
            .all(|n| !n.message.contains("within a week")),
        "{:?}",
        again.notices
    );
}

#[test]
fn acled_without_its_columns_is_refused() {
    let err = plan_acled(b"id,date\n1,2009\n", &blank()).unwrap_err();
    assert!(err.to_string().contains("event_id_cnty"), "{err}");
}

// ---------- round trip ----------

/// Tandem's own CSV export (src/export/csv.rs): header row, hashtag row, one row per assignment.
fn tandem_export_csv(s: &Situation) -> String {
    String::from_utf8(tandem::export::csv::who_does_what(s).unwrap()).unwrap()
}

fn rich_situation() -> Situation {
    let mut s = blank();
    let sheet = "#org+name,#org+type,#activity+code,#activity+name,#x_role,#x_step,#status,#date+start,#date+end,#country+code\n\
        Economic Community of West African States,Subregional organization,ecowas-mediation,ECOWAS-led mediation,lead,,Active,2009-10,2010-12,GIN\n\
        United Nations Office for West Africa,UN system,ecowas-mediation,ECOWAS-led mediation,support,,Active,2009-10,2010-12,GIN\n\
        African Union,Regional organization,contact-group,International Contact Group,joint,,Active,2009,,GIN\n\
        Economic Community of West African States,Subregional organization,contact-group,International Contact Group,joint,,Active,2009,,GIN\n\
        World Bank,International financial institution,recovery,Economic recovery,sequential,2,Planned,2010-12,,GIN\n\
        Peacebuilding Fund,UN system,recovery,Economic recovery,sequential,1,Planned,2010-12,,GIN\n\
        France,Member state / group of friends,recovery,Economic recovery,burden-sharing,,Planned,2010-12,,GIN\n\
        Community of Sant'Egidio,NGO / civil society / mediator,dialogue,-Inter-party dialogue (title starting with a dash),support,,Paused,2010-03-15,2010-06,GIN\n";
    s = applied(&plan_hxl(sheet.as_bytes(), &s).unwrap(), &s);
    s
}

#[test]
fn tandem_csv_export_imports_back_into_the_same_matrix() {
    let original = rich_situation();
    assert_eq!(original.assignments.len(), 8);
    let exported = tandem_export_csv(&original);
    let plan = plan_hxl(exported.as_bytes(), &blank()).unwrap();
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    let back = applied(&plan, &blank());
    assert_eq!(partner_names(&back), partner_names(&original));
    assert_eq!(matrix(&back), matrix(&original));
    let lines = |s: &Situation| {
        let mut v: Vec<_> = s
            .lines
            .iter()
            .map(|l| (l.id.clone(), l.title.clone(), l.status, l.start, l.end))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(lines(&back), lines(&original));
    assert_eq!(back.countries, original.countries);
}

#[test]
fn the_sector_and_instrument_survive_export_and_import() {
    let mut original = rich_situation();
    original.lines[0].sector = "Protection".into();
    original.lines[1].instrument = Instrument::GoodOffices;
    let exported = tandem_export_csv(&original);
    let hashtags = exported.lines().nth(1).unwrap();
    assert!(hashtags.split(',').any(|t| t == "#sector"), "{hashtags}");
    let plan = plan_hxl(exported.as_bytes(), &blank()).unwrap();
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    let back = applied(&plan, &blank());
    let lines = |s: &Situation| {
        let mut v: Vec<_> = s
            .lines
            .iter()
            .map(|l| {
                (
                    l.id.clone(),
                    l.instrument,
                    l.sector.clone(),
                    l.notes.clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(lines(&back), lines(&original));
    assert_eq!(
        back.line(&original.lines[0].id).unwrap().sector,
        "Protection"
    );
}

// ---------- CLI ----------

fn tandem() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
}

#[test]
fn cli_import_out_writes_a_new_situation_and_reports_skipped_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("guinea.ron");
    let result = tandem()
        .args(["import", "--format", "hxl"])
        .arg(data("3w-guinea.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(stdout.contains("partners: 8 created, 0 merged"), "{stdout}");
    assert!(
        stdout.contains("line 9: start date \"2010-13\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("Not everything was imported (8 data rows read: 7 imported, 1 skipped"),
        "{stdout}"
    );
    let written = tandem::io::load_file(&out).unwrap().situation;
    assert_eq!(written.partners.len(), 8);
    assert_eq!(written.lines.len(), 5);
}

#[test]
fn cli_import_into_saves_in_place_with_a_backup_and_does_not_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guinea.ron");
    std::fs::write(&file, tandem::samples::BLANK).unwrap();
    let run = |format: &str, csv: &str| {
        tandem()
            .args(["import", "--format", format])
            .arg(data(csv))
            .arg("--into")
            .arg(&file)
            .output()
            .unwrap()
    };
    assert!(run("acled", "acled-guinea.csv").status.success());
    let first = tandem::io::load_file(&file).unwrap().situation;
    assert_eq!(first.events.len(), 5);
    let backup = tandem::io::backup_path(&file);
    assert!(backup.exists());
    let bytes_before = std::fs::read(&file).unwrap();
    let backup_before = std::fs::read(&backup).unwrap();
    let second = run("acled", "acled-guinea.csv");
    assert!(second.status.success());
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("events: 0 created, 5 merged, 1 skipped"),
        "{stdout}"
    );
    assert!(stdout.contains("Nothing new to import"), "{stdout}");
    assert_eq!(tandem::io::load_file(&file).unwrap().situation, first);
    assert_eq!(std::fs::read(&file).unwrap(), bytes_before, "not rewritten");
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        backup_before,
        "the backup of the last real change is kept"
    );
}

#[test]
fn cli_import_of_an_unreadable_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new.ron");
    let missing = tandem()
        .args(["import", "--format", "hxl", "no-such-file.csv", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(!out.exists());
    let not_hxl = dir.path().join("plain.csv");
    std::fs::write(&not_hxl, "Organisation,Activity\nECOWAS,Mediation\n").unwrap();
    let refused = tandem()
        .args(["import", "--format", "hxl"])
        .arg(&not_hxl)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("hashtag row"));
    assert!(!out.exists());
}

/// `import --into` asks the same check as `upgrade` (io::claim_for_writing): a read-only file
/// and a file a colleague has open are refused and left as they were.
#[test]
fn cli_import_into_refuses_a_read_only_or_locked_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guinea.ron");
    std::fs::write(&file, tandem::samples::BLANK).unwrap();
    let run = || {
        tandem()
            .args(["import", "--format", "acled"])
            .arg(data("acled-guinea.csv"))
            .arg("--into")
            .arg(&file)
            .output()
            .unwrap()
    };
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let refused = run();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("refused, the file is read-only"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        tandem::samples::BLANK
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    // A colleague's live lock: this very test process, under another name.
    let colleague = tandem::io::lock::LockInfo::for_officer("Marie Diallo");
    let tandem::io::lock::LockOutcome::Acquired(guard) =
        tandem::io::lock::acquire_as(&file, colleague)
    else {
        panic!("the lock should be free");
    };
    let refused = run();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("it is open in Tandem by"), "{stderr}");
    assert!(stderr.contains("Marie Diallo"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        tandem::samples::BLANK
    );
    assert_eq!(
        tandem::io::check_writable(&file, Some(&guard)),
        Ok(()),
        "the holder of the lock may write"
    );
    assert!(tandem::io::check_writable(&file, None).is_err());
    drop(guard);
    assert!(
        run().status.success(),
        "free again once the colleague closed it"
    );
}

// ---------- Dialects: encodings, delimiters ----------

/// A 3W sheet saved by Excel in a French locale: semicolons, Windows-1252 (’ is byte 0x92),
/// a title row and a header row above the hashtags, commas inside cells.
#[test]
fn a_semicolon_sheet_in_windows_1252_imports_with_its_accents() {
    let bytes = std::fs::read(data("3w-kgz-semicolon-1252.csv")).unwrap();
    let plan = plan_hxl(&bytes, &blank()).unwrap();
    assert_eq!(
        plan.source.to_string(),
        "Windows-1252 text, semicolon-separated"
    );
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    let after = applied(&plan, &blank());
    assert_eq!(
        matrix(&after),
        [
            (
                "Appui électoral".into(),
                "Fondation « Égalité »".into(),
                Role::Support
            ),
            (
                "Appui électoral".into(),
                "Programme des Nations Unies pour le développement".into(),
                Role::Lead
            ),
            (
                "Dialogue intercommunautaire, Batken".into(),
                "Médecins Sans Frontières".into(),
                Role::Lead
            ),
            (
                "Dialogue intercommunautaire, Batken".into(),
                "Women\u{2019}s Peace Network".into(),
                Role::Support
            ),
        ]
    );
    assert_eq!(after.countries, ["KGZ"]);
}

/// Excel's "Unicode text": UTF-16 LE with a byte-order mark, tab-separated.
#[test]
fn a_utf16_tab_separated_sheet_imports() {
    let bytes = std::fs::read(data("3w-mali-utf16.txt")).unwrap();
    let plan = plan_hxl(&bytes, &blank()).unwrap();
    assert_eq!(plan.source.to_string(), "UTF-16LE text, tab-separated");
    assert!(
        plan.skipped.is_empty() && plan.notices.is_empty(),
        "{plan:?}"
    );
    let after = applied(&plan, &blank());
    assert_eq!(after.lines.len(), 2);
    assert!(
        after
            .partners
            .iter()
            .any(|p| p.name == "Coordination des mouvements de l\u{2019}Azawad"),
        "{:?}",
        partner_names(&after)
    );
    assert_eq!(after.assignments.len(), 4);
}

#[test]
fn cli_import_says_which_encoding_and_delimiter_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kgz.ron");
    let run = tandem()
        .args(["import", "--format", "hxl"])
        .arg(data("3w-kgz-semicolon-1252.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("(Windows-1252 text, semicolon-separated)"),
        "{stdout}"
    );
}

// ---------- Workbooks ----------

/// Most 3W sheets on HDX are workbooks: a ReadMe sheet first, the data on "3W", dates as
/// Excel dates, a code typed as a number.
#[test]
fn an_xlsx_3w_imports_from_its_first_sheet_with_hashtags() {
    let bytes = std::fs::read(data("3w-lebanon.xlsx")).unwrap();
    let plan = plan_hxl(&bytes, &blank()).unwrap();
    assert_eq!(
        plan.source.to_string(),
        "Excel (.xlsx) workbook, sheet \"3W\""
    );
    assert_eq!(
        plan.skipped[0].to_string(),
        "line 3: column 9 (#date+year, \"Year\"): 3 filled cells not imported: Tandem does not read this hashtag"
    );
    assert_eq!(plan.skipped.len(), 1);
    let after = applied(&plan, &blank());
    let line = after
        .lines
        .iter()
        .find(|l| l.title == "Dialogue between host and refugee communities, Akkar")
        .unwrap();
    assert_eq!(line.start, Some("2021-01-01".parse().unwrap()));
    assert_eq!(line.end, Some("2021-12-31".parse().unwrap()));
    assert_eq!(after.lines.len(), 3);
    assert!(after.line("7").is_some(), "{:?}", after.lines);
    assert_eq!(after.assignments.len(), 6);
    assert_eq!(after.countries, ["LBN"]);
    let named = tandem::import::Format::Hxl
        .plan_sheet(&bytes, &blank(), Some("3W"))
        .unwrap();
    assert_eq!(named.edit, plan.edit);
    let err = tandem::import::Format::Hxl
        .plan_sheet(&bytes, &blank(), Some("Data"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the workbook has no sheet named \"Data\" (its sheets: ReadMe, 3W)"
    );
    let err = tandem::import::Format::Hxl
        .plan_sheet(&bytes, &blank(), Some("ReadMe"))
        .unwrap_err();
    assert!(matches!(err, ImportError::NoHashtagRow { .. }), "{err}");
}

/// A truncated workbook is refused with a reason, never a panic.
#[test]
fn a_broken_workbook_is_refused_with_a_reason() {
    let bytes = std::fs::read(data("3w-lebanon.xlsx")).unwrap();
    for cut in [10, bytes.len() / 2, bytes.len() - 10] {
        let err = plan_hxl(&bytes[..cut], &blank()).unwrap_err();
        assert!(err.to_string().contains("cannot be read"), "{cut}: {err}");
    }
}

// ---------- Nothing dropped silently ----------

/// The Lebanon 3W's shape: organisations by acronym only, two implementer columns, a type
/// beside each organisation column, a donor column. Every organisation counts, each with its
/// own type; every row, cell and column not imported is listed; the counts add up.
#[test]
fn acronym_only_orgs_every_org_column_and_their_own_types() {
    let bytes = std::fs::read(data("3w-lebanon-acronyms.csv")).unwrap();
    let plan = plan_hxl(&bytes, &blank()).unwrap();
    let after = applied(&plan, &blank());
    let category = |name: &str| {
        after
            .partners
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name}: {:?}", partner_names(&after)))
            .category
    };
    use PartnerCategory as C;
    for (name, expected) in [
        ("ACF", C::CivilSociety),
        ("NRC", C::CivilSociety),
        ("United Nations Development Programme", C::UnSystem),
        ("Plan International", C::CivilSociety),
        ("Ministry of Social Affairs", C::MemberState),
        ("Lebanese Red Cross", C::CivilSociety),
        ("Danish Refugee Council", C::CivilSociety),
        ("Intersos", C::CivilSociety),
        ("Search for Common Ground", C::CivilSociety),
        ("ECHO", C::MemberState),
        ("European Union", C::Regional),
        // Given by its acronym on line 5, by its name too on line 12: one partner.
        ("World Food Programme", C::UnSystem),
    ] {
        assert_eq!(category(name), expected, "{name}");
    }
    assert_eq!(after.partners.len(), 12, "{:?}", partner_names(&after));
    let wfp = after.partners.iter().find(|p| p.acronym == "WFP").unwrap();
    let cash = after
        .lines
        .iter()
        .find(|l| l.title == "Cash for food")
        .unwrap();
    let roles: Vec<Role> = after
        .assignments
        .iter()
        .filter(|a| a.line == cash.id)
        .map(|a| a.role)
        .collect();
    assert_eq!(
        roles,
        [
            Role::Lead,
            Role::Support,
            Role::Support,
            Role::BurdenSharing
        ],
        "WFP leads, two implementers, the EU funds"
    );
    assert_eq!(
        after.assignment(&cash.id, &wfp.id).unwrap().role,
        Role::Lead
    );
    // Places: the assignment's area, both districts of the legal aid.
    let legal_aid = after
        .lines
        .iter()
        .find(|l| l.title == "Legal aid to refugees")
        .unwrap();
    let nrc = after.partners.iter().find(|p| p.name == "NRC").unwrap();
    let places: Vec<String> = after
        .assignment(&legal_aid.id, &nrc.id)
        .unwrap()
        .places
        .iter()
        .map(|p| p.describe())
        .collect();
    assert_eq!(places, ["Tripoli, North, LBN", "Akkar, North, LBN"]);
    let analysis = after
        .lines
        .iter()
        .find(|l| l.title.starts_with("Conflict analysis"))
        .unwrap();
    assert_eq!(analysis.places[0].describe(), "Beirut, LBN");

    let skipped: Vec<String> = plan.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        skipped,
        [
            "line 10: no organisation (#org) and no activity (#activity) on this row",
            "line 11: start date \"2021-14\" is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            "line 12: organisation type \"NGO\" (column 8) names no organisation on this row",
        ]
    );
    assert_eq!(plan.rows_read, 9);
    assert_eq!(
        plan.row_summary(),
        "9 data rows read: 7 imported, 2 skipped; also not imported: 1 cell"
    );
    // 17 organisation cells on rows with an activity: 3+4+3+4 (lines 4–7), 1 (line 9),
    // 1 (line 11, skipped with its row), 1 (line 12).
    let a = plan.counts.assignments;
    assert_eq!((a.created, a.merged, a.skipped), (14, 2, 1));
    assert_eq!(a.created, after.assignments.len());
}

/// An extract in ACLED's current layout: associated actors, actors' kinds from their names
/// and inter codes, two countries, places, fatalities and descriptions as fields.
#[test]
fn acled_associated_actors_kinds_countries_and_places() {
    let bytes = std::fs::read(data("acled-guinea-assoc.csv")).unwrap();
    let plan = plan_acled(&bytes, &blank()).unwrap();
    let s = applied(&plan, &blank());
    let name_of = |id: &String| s.actor(id).unwrap().name.clone();
    let stadium = s.event("gin2001").unwrap();
    let names: Vec<String> = stadium.actors.iter().map(name_of).collect();
    assert_eq!(
        names,
        [
            "Military Forces of Guinea (2008-2010)",
            "Presidential Guard of Guinea (2008-2010)",
            "Police Forces of Guinea (2008-2010)",
            "Civilians (Guinea)",
            "UFDG: Union of Democratic Forces of Guinea",
            "Women (Guinea)",
        ]
    );
    let kind = |name: &str| s.actors.iter().find(|a| a.name == name).unwrap().kind;
    assert_eq!(
        kind("Government of Guinea (2008-2010)"),
        ActorKind::Government
    );
    assert_eq!(
        kind("Presidential Guard of Guinea (2008-2010)"),
        ActorKind::Military
    );
    assert_eq!(kind("Women (Guinea)"), ActorKind::WomensGroup);
    assert_eq!(kind("Students (Guinea)"), ActorKind::Youth);
    assert_eq!(kind("Rioters (Sierra Leone)"), ActorKind::CivilSociety);
    assert_eq!(
        kind("CNDD: National Council for Democracy and Development"),
        ActorKind::ArmedGroup,
        "inter 3, political militia"
    );
    assert_eq!(
        s.actors
            .iter()
            .filter(|a| a.name == "Women (Guinea)")
            .count(),
        1
    );
    assert_eq!(s.countries, ["GIN", "SLE"]);
    let kailahun = s.event("sle1001").unwrap();
    let place = kailahun.place.as_ref().unwrap();
    assert_eq!(
        (
            place.country.as_str(),
            place.admin1.as_str(),
            place.admin2.as_str()
        ),
        ("SLE", "Eastern", "Kailahun")
    );
    assert_eq!(place.precision, Some(tandem::model::GeoPrecision::Near));
    assert_eq!(kailahun.fatalities, Some(1));
    assert_eq!(
        kailahun.description,
        "ILLUSTRATIVE row. A mob attacked traders near the Guinean border."
    );
    let kankan = s.event("gin2004").unwrap();
    assert_eq!(kankan.place.as_ref().unwrap().coordinates, None);
    let skipped: Vec<String> = plan.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        skipped.last().unwrap(),
        "line 6: event GIN2004: invalid coordinates: latitude 104.386 is not between -90 and 90"
    );
    assert!(
        skipped.iter().any(|s| s.contains("(admin3)")),
        "{skipped:?}"
    );
    assert_eq!(
        plan.row_summary(),
        "5 data rows read: 5 imported, 0 skipped; also not imported: 1 cell, 6 columns"
    );
}

/// Into the Guinea sample: ACLED's "UFDG: Union of Democratic Forces of Guinea" is the
/// sample's "Union of Democratic Forces of Guinea (UFDG), Cellou Dalein Diallo", and so on
/// for the RPG and the CNDD; the sample's actors learn ACLED's names as aliases. An alias
/// the desk gave an actor is matched too.
#[test]
fn acled_into_a_situation_matches_its_actors_by_acronym_and_alias() {
    let bytes = std::fs::read(data("acled-guinea-assoc.csv")).unwrap();
    let mut guinea = tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation;
    let armed = guinea
        .actors
        .iter_mut()
        .find(|a| a.id == "armed-forces")
        .unwrap();
    armed.aliases.push("Military Forces of Guinea".into());
    let before = guinea.actors.len();
    let plan = plan_acled(&bytes, &guinea).unwrap();
    let after = applied(&plan, &guinea);
    let stadium = after.event("gin2001").unwrap();
    assert!(stadium.actors.contains(&"armed-forces".to_owned()));
    assert!(stadium.actors.contains(&"ufdg".to_owned()));
    assert!(
        after
            .event("gin2002")
            .unwrap()
            .actors
            .contains(&"rpg".to_owned())
    );
    assert!(
        after
            .event("gin2003")
            .unwrap()
            .actors
            .contains(&"cndd-junta".to_owned())
    );
    assert_eq!(
        after.actor("ufdg").unwrap().aliases,
        ["UFDG: Union of Democratic Forces of Guinea"]
    );
    assert_eq!(
        after.actor("armed-forces").unwrap().aliases,
        [
            "Military Forces of Guinea",
            "Military Forces of Guinea (2008-2010)"
        ]
    );
    assert_eq!(plan.counts.actors.merged, 4);
    assert_eq!(after.actors.len(), before + plan.counts.actors.created);
    assert!(
        !after
            .actors
            .iter()
            .any(|a| a.name.starts_with("UFDG") || a.name.starts_with("RPG:")),
        "no duplicates"
    );
    // A second import matches by the aliases learnt and changes nothing.
    assert!(plan_acled(&bytes, &after).unwrap().is_noop());
}

// ---------- A new situation from an import ----------

/// `import --out` titles the new situation after its countries and period and dates it as of
/// its latest event, not "New situation" as of the template's date.
#[test]
fn a_new_situation_is_titled_and_dated_from_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("acled.ron");
    let run = tandem()
        .args(["import", "--format", "acled"])
        .arg(data("acled-guinea-assoc.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let written = tandem::io::load_file(&out).unwrap().situation;
    assert_eq!(
        written.title,
        "Guinea and Sierra Leone: incidents, September 2009 – January 2010 (ACLED)"
    );
    assert_eq!(written.as_of, PartialDate::day(2010, 1, 15).unwrap());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("as of 2010-01-15"), "{stdout}");

    let bytes = std::fs::read(data("3w-lebanon-acronyms.csv")).unwrap();
    let plan = plan_hxl(&bytes, &blank()).unwrap();
    let sheet = plan.new_situation(&blank(), "3w.csv").unwrap();
    assert_eq!(sheet.title, "Lebanon: who does what, January 2021 – 2022");
    assert_eq!(
        sheet.as_of,
        PartialDate::year(2022).unwrap(),
        "the conflict analysis starts in 2022"
    );
}
