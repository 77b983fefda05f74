//! Which reports one run writes, and where: `--format` and `--output` pairs.
//!
//! Each `--output FILE` belongs to the `--format` just before it; a format without an
//! output goes to standard output, and when every report goes to a file the terminal
//! still gets the text report, so a CI log shows what the uploaded report says.

use std::path::{Path, PathBuf};

use palisade_model::OutputFormat;

/// One `--format` or `--output` option, as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportOption {
    Format(OutputFormat),
    Output(PathBuf),
}

/// One report of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    pub format: OutputFormat,
    /// `None` for standard output.
    pub file: Option<PathBuf>,
}

/// The reports asked for by `options`, given in command-line order.
pub fn reports(options: &[ReportOption]) -> Result<Vec<ReportRequest>, String> {
    let mut reports: Vec<ReportRequest> = Vec::new();
    // Whether the last report was named by a `--format` and still waits for its file.
    let mut open = false;
    for option in options {
        match option {
            ReportOption::Format(format) => {
                reports.push(ReportRequest {
                    format: *format,
                    file: None,
                });
                open = true;
            }
            ReportOption::Output(file) => {
                match reports.last_mut().filter(|_| open) {
                    Some(report) => report.file = Some(file.clone()),
                    None => reports.push(ReportRequest {
                        format: format_of(file)?,
                        file: Some(file.clone()),
                    }),
                }
                open = false;
            }
        }
    }
    let to_stdout = reports.iter().filter(|r| r.file.is_none()).count();
    if to_stdout > 1 {
        return Err(
            "only one --format can go to standard output; give the others an --output FILE"
                .to_owned(),
        );
    }
    if to_stdout == 0 {
        reports.insert(
            0,
            ReportRequest {
                format: OutputFormat::Text,
                file: None,
            },
        );
    }
    Ok(reports)
}

/// The format an `--output` without its own `--format` implies, by file extension.
fn format_of(file: &Path) -> Result<OutputFormat, String> {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("sarif") => Ok(OutputFormat::Sarif),
        Some("json") => Ok(OutputFormat::Json),
        Some("xml") => Ok(OutputFormat::Junit),
        Some("txt") => Ok(OutputFormat::Text),
        _ => Err(format!(
            "--output {} needs a --format before it (or a .sarif, .json, .xml or .txt name)",
            file.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OutputFormat::*;
    use ReportOption::{Format, Output};

    fn report(format: OutputFormat, file: Option<&str>) -> ReportRequest {
        ReportRequest {
            format,
            file: file.map(PathBuf::from),
        }
    }

    #[test]
    fn nothing_asked_is_text_on_stdout() {
        assert_eq!(reports(&[]), Ok(vec![report(Text, None)]));
    }

    #[test]
    fn a_format_alone_replaces_text_on_stdout() {
        assert_eq!(reports(&[Format(Json)]), Ok(vec![report(Json, None)]));
    }

    #[test]
    fn outputs_pair_with_the_format_before_them_and_text_stays_on_the_terminal() {
        let options = [
            Format(Sarif),
            Output("a.sarif".into()),
            Format(Junit),
            Output("b.xml".into()),
        ];
        assert_eq!(
            reports(&options),
            Ok(vec![
                report(Text, None),
                report(Sarif, Some("a.sarif")),
                report(Junit, Some("b.xml")),
            ])
        );
    }

    #[test]
    fn one_format_may_keep_stdout_beside_files() {
        let options = [Format(Sarif), Output("r.sarif".into()), Format(Github)];
        assert_eq!(
            reports(&options),
            Ok(vec![report(Sarif, Some("r.sarif")), report(Github, None)])
        );
    }

    #[test]
    fn an_output_alone_takes_its_format_from_the_extension() {
        assert_eq!(
            reports(&[Output("out/report.SARIF".into())]),
            Ok(vec![
                report(Text, None),
                report(Sarif, Some("out/report.SARIF"))
            ])
        );
        assert!(reports(&[Output("report".into())]).is_err());
    }

    #[test]
    fn two_formats_cannot_share_stdout() {
        assert!(reports(&[Format(Json), Format(Sarif)]).is_err());
    }
}
