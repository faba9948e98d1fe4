//! Data-safety prompts: the recovery offer at start, the "changed on disk" banner and the
//! "locked by a colleague" banner. Each returns what the user chose; the app acts on it.

use egui::{Color32, RichText};

use crate::io::disk::DiskChange;
use crate::io::lock::{Liveness, LockInfo};
use crate::io::recovery::RecoveryEntry;

/// The answer to the recovery offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryChoice {
    /// Open entry `i` as an unsaved situation.
    Restore(usize),
    /// Delete entry `i`.
    Discard(usize),
    /// Close the prompt; the copies stay and are offered again at the next start.
    Later,
}

/// The answer to "the file changed on disk".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskChoice {
    /// Read the file again, dropping local changes (already confirmed when there were any).
    Reload,
    /// Save the local version under another name.
    SaveCopy,
    /// Write the local version over the file (already confirmed).
    Overwrite,
    /// Hide the banner and keep editing; the next save checks again.
    KeepEditing,
}

/// The answer to "someone else has this file open".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockChoice {
    /// Keep this read-only copy but make it an untitled situation that can be edited.
    OpenCopy,
    /// Replace their lock with ours and edit (already confirmed).
    TakeOver,
}

/// The modal offering recovery copies left by a crashed session. Show it while the list is not
/// empty.
pub fn recovery_prompt_ui(
    ctx: &egui::Context,
    entries: &[RecoveryEntry],
) -> Option<RecoveryChoice> {
    if entries.is_empty() {
        return None;
    }
    let modal = egui::Modal::new(egui::Id::unique("recovery_prompt")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Recover unsaved work?");
        ui.label(
            "Tandem was not closed properly last time. It kept a copy of the changes that were not saved:",
        );
        ui.add_space(6.0);
        let mut choice = None;
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                for (i, entry) in entries.iter().enumerate() {
                    ui.separator();
                    ui.label(RichText::new(entry.display_name()).strong());
                    if let Some(original) = &entry.meta.original {
                        ui.label(RichText::new(original.display().to_string()).weak());
                    }
                    ui.label(format!("Written {}", entry.written_text()));
                    ui.horizontal(|ui| {
                        ui.push_id(i, |ui| {
                            if ui
                                .button("Restore")
                                .on_hover_text("Open these changes; they stay unsaved until you save")
                                .clicked()
                            {
                                choice = Some(RecoveryChoice::Restore(i));
                            }
                            if ui
                                .button("Discard")
                                .on_hover_text("Delete this recovery copy")
                                .clicked()
                            {
                                choice = Some(RecoveryChoice::Discard(i));
                            }
                        });
                    });
                }
            });
        ui.separator();
        if ui.button("Decide later").clicked() {
            choice = Some(RecoveryChoice::Later);
        }
        choice
    });
    modal
        .inner
        .or(modal.should_close().then_some(RecoveryChoice::Later))
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Confirming {
    #[default]
    Nothing,
    Reload,
    Overwrite,
    TakeOver,
}

fn confirming(ui: &egui::Ui, id: egui::Id) -> Confirming {
    ui.data(|d| d.get_temp::<Confirming>(id).unwrap_or_default())
}

fn set_confirming(ui: &egui::Ui, id: egui::Id, value: Confirming) {
    ui.data_mut(|d| d.insert_temp(id, value));
}

fn banner_frame(ui: &egui::Ui) -> egui::Frame {
    egui::Frame::new()
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
        .inner_margin(8.0)
}

fn warn_text(ui: &egui::Ui, text: impl Into<String>) -> RichText {
    RichText::new(text.into()).color(ui.visuals().warn_fg_color)
}

/// The banner shown when the open file was changed or removed by someone else. `dirty`: whether
/// there are local changes a reload would lose (only then is a reload confirmed).
pub fn disk_banner_ui(
    ui: &mut egui::Ui,
    file_name: &str,
    change: &DiskChange,
    dirty: bool,
) -> Option<DiskChoice> {
    let id = egui::Id::unique("disk_banner_confirm");
    let mut choice = None;
    banner_frame(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let message = match change {
            DiskChange::Unchanged => return,
            DiskChange::Modified => format!(
                "“{file_name}” was changed on disk by another program or a colleague since you opened or saved it."
            ),
            DiskChange::Deleted => {
                format!("“{file_name}” was deleted, moved or renamed on disk.")
            }
            DiskChange::Unreadable(why) => {
                format!("“{file_name}” cannot be read on disk any more: {why}.")
            }
        };
        ui.label(warn_text(ui, message).strong());
        match confirming(ui, id) {
            Confirming::Reload => {
                ui.label("Reload the file from disk? Your unsaved changes will be lost.");
                ui.horizontal(|ui| {
                    if ui.button("Reload and discard my changes").clicked() {
                        choice = Some(DiskChoice::Reload);
                    }
                    if ui.button("Cancel").clicked() {
                        set_confirming(ui, id, Confirming::Nothing);
                    }
                });
            }
            Confirming::Overwrite => {
                ui.label("Write your version over the file? The changes made by the other person will be lost (the previous file is kept as .bak).");
                ui.horizontal(|ui| {
                    if ui.button("Overwrite their changes").clicked() {
                        choice = Some(DiskChoice::Overwrite);
                    }
                    if ui.button("Cancel").clicked() {
                        set_confirming(ui, id, Confirming::Nothing);
                    }
                });
            }
            _ => {
                ui.horizontal_wrapped(|ui| {
                    let exists = matches!(change, DiskChange::Modified);
                    if exists
                        && ui
                            .button("Reload…")
                            .on_hover_text("Show the version on disk")
                            .clicked()
                    {
                        if dirty {
                            set_confirming(ui, id, Confirming::Reload);
                        } else {
                            choice = Some(DiskChoice::Reload);
                        }
                    }
                    if ui
                        .button("Save as copy…")
                        .on_hover_text("Keep both: save your version under another name")
                        .clicked()
                    {
                        choice = Some(DiskChoice::SaveCopy);
                    }
                    if exists {
                        if ui
                            .button("Overwrite…")
                            .on_hover_text("Replace the version on disk with yours")
                            .clicked()
                        {
                            set_confirming(ui, id, Confirming::Overwrite);
                        }
                    } else if ui
                        .button("Save here again")
                        .on_hover_text("Write your version at the same place")
                        .clicked()
                    {
                        choice = Some(DiskChoice::Overwrite);
                    }
                    if ui.button("Keep editing").clicked() {
                        choice = Some(DiskChoice::KeepEditing);
                    }
                });
            }
        }
    });
    if choice.is_some() {
        set_confirming(ui, id, Confirming::Nothing);
    }
    choice
}

/// The read-only banner shown when a colleague's Tandem holds the file's lock.
pub fn lock_banner_ui(
    ui: &mut egui::Ui,
    info: &LockInfo,
    liveness: &Liveness,
) -> Option<LockChoice> {
    let id = egui::Id::unique("lock_banner_confirm");
    let mut choice = None;
    banner_frame(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let since = info.since_text();
        let message = match liveness {
            Liveness::Live => format!(
                "Read-only: this file is being edited by {} {since}.",
                info.holder()
            ),
            Liveness::Stale(why) => format!(
                "Read-only: this file has a lock left by {} {since}, probably abandoned ({why}).",
                info.holder()
            ),
        };
        ui.label(warn_text(ui, message).strong());
        if confirming(ui, id) == Confirming::TakeOver {
            let warning = match liveness {
                Liveness::Live => format!(
                    "Take over the file? If {} is still working on it, one of you will overwrite the other's changes. Ask them first.",
                    info.holder()
                ),
                Liveness::Stale(_) => {
                    "Take over the abandoned lock and edit the file?".to_owned()
                }
            };
            ui.label(RichText::new(warning).color(Color32::from_rgb(0xc0, 0x30, 0x30)));
            ui.horizontal(|ui| {
                if ui.button("Take over and edit").clicked() {
                    choice = Some(LockChoice::TakeOver);
                }
                if ui.button("Cancel").clicked() {
                    set_confirming(ui, id, Confirming::Nothing);
                }
            });
        } else {
            ui.horizontal(|ui| {
                if ui
                    .button("Open a copy")
                    .on_hover_text("Edit an untitled copy and save it under another name")
                    .clicked()
                {
                    choice = Some(LockChoice::OpenCopy);
                }
                if ui.button("Take over…").clicked() {
                    set_confirming(ui, id, Confirming::TakeOver);
                }
            });
        }
    });
    if choice.is_some() {
        set_confirming(ui, id, Confirming::Nothing);
    }
    choice
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;

    fn disk_harness(change: DiskChange, dirty: bool) -> Harness<'static, Vec<DiskChoice>> {
        Harness::new_ui_state(
            move |ui, chosen: &mut Vec<DiskChoice>| {
                chosen.extend(disk_banner_ui(ui, "guinea.ron", &change, dirty));
            },
            Vec::new(),
        )
    }

    #[test]
    fn overwrite_needs_confirmation() {
        let mut harness = disk_harness(DiskChange::Modified, true);
        harness.get_by_label("Overwrite…").click();
        harness.run();
        assert!(harness.state().is_empty(), "asks first");
        harness.get_by_label("Cancel").click();
        harness.run();
        assert!(harness.state().is_empty());
        harness.get_by_label("Overwrite…").click();
        harness.run();
        harness.get_by_label("Overwrite their changes").click();
        harness.run();
        assert_eq!(harness.state(), &vec![DiskChoice::Overwrite]);
    }

    #[test]
    fn reload_confirms_only_when_changes_would_be_lost() {
        let mut clean = disk_harness(DiskChange::Modified, false);
        clean.get_by_label("Reload…").click();
        clean.run();
        assert_eq!(clean.state(), &vec![DiskChoice::Reload]);

        let mut dirty = disk_harness(DiskChange::Modified, true);
        dirty.get_by_label("Reload…").click();
        dirty.run();
        assert!(dirty.state().is_empty());
        dirty.get_by_label("Reload and discard my changes").click();
        dirty.run();
        assert_eq!(dirty.state(), &vec![DiskChoice::Reload]);
    }

    #[test]
    fn deleted_file_offers_no_reload() {
        let harness = disk_harness(DiskChange::Deleted, true);
        assert!(harness.query_by_label("Reload…").is_none());
        assert!(harness.query_by_label("Save here again").is_some());
    }

    #[test]
    fn lock_banner_names_holder_and_confirms_take_over() {
        let info = LockInfo {
            user: "amina".into(),
            host: "desk-7".into(),
            since: None,
            pid: Some(1),
            ..LockInfo::default()
        };
        let mut harness = Harness::new_ui_state(
            move |ui, chosen: &mut Vec<LockChoice>| {
                chosen.extend(lock_banner_ui(ui, &info, &Liveness::Live));
            },
            Vec::new(),
        );
        assert!(
            harness
                .query_by_label_contains("edited by amina on desk-7")
                .is_some()
        );
        harness.get_by_label("Take over…").click();
        harness.run();
        assert!(harness.state().is_empty());
        harness.get_by_label("Take over and edit").click();
        harness.run();
        assert_eq!(harness.state(), &vec![LockChoice::TakeOver]);
    }
}
