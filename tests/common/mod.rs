//! What the tests of shared situations have in common: the random edits their properties make,
//! which problems only concurrency can explain, a server started again on its address, a
//! colleague opening a share; and, in `window`, the app in a test window.
// Each test binary uses a part of this module.
#![allow(dead_code)]

pub mod window;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use tandem::sync::live::{Connection, LiveShare};
use tandem::sync::net::Server;

use tandem::model::edit::{self, Edit};
use tandem::model::{Diagnostic, Item, ItemKind, ItemRef, Sensitivity, Severity, Situation};

/// A random edit an officer might make, chosen by `op` (0 to 6) and `n`: rename an actor,
/// retitle an event, delete an event, duplicate a line, set or clear a matrix cell, rename an
/// actor's id, or move an actor above or below a strictly confidential ceiling. `None` when
/// the situation has nothing to edit that way.
pub fn random_edit(s: &Situation, op: u8, n: usize, word: &str) -> Option<Edit> {
    let pick = |len: usize| n % len.max(1);
    match op {
        0 => {
            let mut actor = s.actors.get(pick(s.actors.len()))?.clone();
            actor.name = format!("{} {word}", actor.name);
            Some(Edit::Replace {
                item: Item::Actor(actor),
            })
        }
        1 => {
            let mut event = s.events.get(pick(s.events.len()))?.clone();
            event.notes = word.into();
            event.title = format!("{} {word}", event.title);
            Some(Edit::Replace {
                item: Item::Event(event),
            })
        }
        2 => {
            let target = ItemRef::new(
                ItemKind::Event,
                s.events.get(pick(s.events.len()))?.id.clone(),
            );
            edit::delete(s, &target).ok()
        }
        3 => {
            let target = ItemRef::new(ItemKind::Line, s.lines.get(pick(s.lines.len()))?.id.clone());
            edit::duplicate(s, &target).ok()
        }
        4 => {
            let line = s.lines.get(pick(s.lines.len()))?.id.clone();
            let partner = s.partners.get(pick(s.partners.len() + 3))?.id.clone();
            let role = [tandem::model::Role::Lead, tandem::model::Role::Support][n % 2];
            Some(Edit::SetAssignment {
                assignment: (!n.is_multiple_of(3)).then(|| tandem::model::Assignment {
                    line: line.clone(),
                    partner: partner.clone(),
                    role,
                    note: String::new(),
                    sensitivity: Sensitivity::Unclassified,
                    places: Vec::new(),
                }),
                line,
                partner,
                index: None,
            })
        }
        5 => Some(Edit::RenameId {
            kind: ItemKind::Actor,
            old: s.actors.get(pick(s.actors.len()))?.id.clone(),
            new: format!("{word}-{n}"),
        }),
        _ => {
            let mut actor = s.actors.get(pick(s.actors.len()))?.clone();
            actor.sensitivity =
                [Sensitivity::Unclassified, Sensitivity::StrictlyConfidential][n % 2];
            Some(Edit::Replace {
                item: Item::Actor(actor),
            })
        }
    }
}

/// The edit [`random_edit`] chooses, when there is one and it applies to `s` (an edit that
/// the app would refuse, such as a rename to an id already taken, is not made).
pub fn random_valid_edit(s: &Situation, op: u8, n: usize, word: &str) -> Option<Edit> {
    let edit = random_edit(s, op, n, word)?;
    let mut probe = s.clone();
    edit::apply(&mut probe, edit.clone()).ok()?;
    Some(edit)
}

/// The errors the checks find in `s` that two officers' concurrent edits cannot explain.
/// Concurrency alone can make: an id added twice, a reference to an item a colleague deleted
/// meanwhile, a matrix cell set twice.
pub fn unexplained_errors(s: &Situation) -> Vec<Diagnostic> {
    let allowed = ["id.duplicate", "ref.unknown", "assignment.duplicate"];
    tandem::analysis::check_all(s)
        .into_iter()
        .filter(|d| d.severity == Severity::Error && !allowed.contains(&d.code))
        .collect()
}

/// A server on `addr` again, with the same data folder and `token` (the port may take a moment
/// to free).
pub fn restart_server(addr: SocketAddr, data: &Path, token: &str) -> Server {
    let start = Instant::now();
    loop {
        match Server::start(addr, data, token) {
            Ok(server) => return server,
            Err(err) if start.elapsed() < Duration::from_secs(5) => {
                eprintln!("restarting: {err}");
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(err) => panic!("the server does not start again: {err}"),
        }
    }
}

/// A colleague opening the share at `link` on `server` with `token`, the local copy under
/// `data_root`: the share and the situation it shows.
pub fn colleague_opens(
    server: &str,
    token: &str,
    link: &str,
    data_root: &Path,
) -> (LiveShare, Situation) {
    let connection = Connection {
        server: server.to_owned(),
        token: token.to_owned(),
        data_root: data_root.to_path_buf(),
    };
    LiveShare::open(link, &connection, std::sync::Arc::new(|| {})).unwrap()
}
