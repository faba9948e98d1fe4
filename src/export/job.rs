//! An export running on its own thread — prepare, write the format, save atomically — so that
//! the window keeps drawing while a large paper is laid out. Knows nothing of egui: the app
//! polls it each frame, or passes a callback that asks for a repaint when it is done.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use super::{ExportOptions, Format, RedactionReport, export_prepared, prepare};
use crate::model::Situation;

/// A finished export: where it went and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub path: PathBuf,
    /// [`summary`]: the format, the size, the label, what was left out, the choice about notes.
    pub summary: String,
}

impl Exported {
    /// The line for the status bar: `Exported PATH (PDF briefing paper, …; internal notes left out)`.
    pub fn status_line(&self) -> String {
        format!("Exported {} ({})", self.path.display(), self.summary)
    }
}

/// The one line that says what an export holds, for the command line and the status bar:
/// `PDF briefing paper, 54913 bytes, TLP:CLEAR, for African Union; left out above
/// unclassified: 1 actor; internal notes left out`. Names no left-out item.
pub fn summary(
    format: Format,
    bytes: usize,
    options: &ExportOptions,
    report: &RedactionReport,
) -> String {
    let for_whom = report
        .for_partner
        .as_deref()
        .map(|name| format!(", for {}", super::long_text::prefix(name, 80)))
        .unwrap_or_default();
    format!(
        "{}, {bytes} bytes, {}{for_whom}; {}",
        format.label(),
        options.audience.tlp.label(),
        report.summary()
    )
}

/// The outcome of a background export: what was written, or what went wrong.
pub type ExportResult = Result<Exported, String>;

/// An export running on its own thread.
pub struct ExportJob {
    receiver: mpsc::Receiver<ExportResult>,
    /// What is being written, for the spinner ("PDF briefing paper").
    pub label: &'static str,
    pub path: PathBuf,
}

impl ExportJob {
    /// Starts exporting a copy of `situation` to `path` (written atomically, no backup).
    pub fn start(
        situation: Situation,
        format: Format,
        options: ExportOptions,
        path: PathBuf,
    ) -> Self {
        Self::start_notifying(situation, format, options, path, || {})
    }

    /// [`ExportJob::start`], calling `done` on the job's thread once the result is ready (the
    /// app passes one that asks for a repaint).
    pub fn start_notifying(
        situation: Situation,
        format: Format,
        options: ExportOptions,
        path: PathBuf,
        done: impl FnOnce() + Send + 'static,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let target = path.clone();
        std::thread::spawn(move || {
            let result = run(&situation, format, &options, target);
            // The receiver is gone only if the dialog was dropped: nothing to tell.
            let _ = sender.send(result);
            done();
        });
        Self {
            receiver,
            label: format.label(),
            path,
        }
    }

    /// The result once the thread has finished; `None` while it runs.
    pub fn poll(&mut self) -> Option<ExportResult> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                Some(Err("the export stopped unexpectedly".to_owned()))
            }
        }
    }

    /// Waits up to `timeout` for the result (for tests and the command line).
    pub fn wait(&mut self, timeout: Duration) -> Option<ExportResult> {
        self.receiver.recv_timeout(timeout).ok()
    }
}

fn run(
    situation: &Situation,
    format: Format,
    options: &ExportOptions,
    path: PathBuf,
) -> ExportResult {
    let (prepared, report) = prepare(situation, options);
    let bytes = export_prepared(&prepared, format, options).map_err(|e| e.to_string())?;
    crate::io::write_atomically(&path, &bytes, false).map_err(|e| e.to_string())?;
    Ok(Exported {
        summary: summary(format, bytes.len(), options, &report),
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Audience;

    #[test]
    fn a_job_writes_the_export_in_the_background_and_says_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let situation = Situation::new("Test", "2010-01-01".parse().unwrap());
        let (tell, told) = mpsc::channel();
        let mut job = ExportJob::start_notifying(
            situation,
            Format::Csv,
            Audience::default().into(),
            path.clone(),
            move || {
                let _ = tell.send(());
            },
        );
        let done = job.wait(Duration::from_secs(30)).expect("the job finishes");
        let done = done.unwrap();
        assert_eq!(done.path, path);
        assert!(done.summary.starts_with("Who does what (HXL CSV), "));
        assert!(
            done.summary.ends_with("internal notes left out"),
            "{}",
            done.summary
        );
        assert!(done.status_line().starts_with("Exported "));
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
        assert!(
            told.recv_timeout(Duration::from_secs(5)).is_ok(),
            "the callback ran"
        );
    }

    #[test]
    fn a_job_that_cannot_write_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.md");
        let situation = Situation::new("Test", "2010-01-01".parse().unwrap());
        let mut job = ExportJob::start(
            situation,
            Format::Markdown,
            Audience::default().into(),
            path,
        );
        let done = job.wait(Duration::from_secs(30)).expect("the job finishes");
        assert!(done.is_err());
    }
}
