//! Downloads: a file made in memory, or a spreadsheet streamed as its rows are read. A streamed sheet is
//! written on a blocking thread into a small bounded channel that the response drains, so memory holds a
//! few chunks whatever the size of the ledger, and a client that reads slowly slows the writer down.

use std::io::{self, Write};

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use tokio::sync::mpsc;

use crate::error::{ServiceError, ServiceResult};
use crate::sheets::{Cell, File, Format, Paper, SheetWriter, Table};

/// `Content-Disposition` for `name.ext`: the Chinese name encoded per RFC 6266, with an ASCII fallback
/// for old clients.
fn disposition(name: &str, ext: &str) -> String {
    let encoded: String = format!("{name}.{ext}")
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"export.{ext}\"; filename*=UTF-8''{encoded}")
}

/// A file download named after what it holds.
pub fn attachment(file: File) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(file.mime)
        .insert_header((
            header::CONTENT_DISPOSITION,
            disposition(&file.name, file.ext),
        ))
        .body(file.bytes)
}

/// Bytes gathered before a chunk goes to the client.
const CHUNK: usize = 64 * 1024;
/// Chunks waiting for the client at most.
const WAITING: usize = 4;

/// A writer whose bytes go to the response in chunks.
struct Channel {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl Channel {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for Channel {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// Streams a sheet headed by `head` (its rows are ignored) in `format`: `rows` runs on a blocking thread
/// and hands each row to the function it is given. A failure after the first bytes cuts the response
/// short, so the client sees a broken download rather than a complete-looking partial file.
pub fn stream_sheet<F>(head: Table, format: Format, rows: F) -> HttpResponse
where
    F: FnOnce(&mut dyn FnMut(&[Cell]) -> ServiceResult<()>) -> ServiceResult<()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(WAITING);
    let failed = tx.clone();
    let disposition = disposition(&head.name, format.ext());
    actix_web::rt::task::spawn_blocking(move || {
        let fail = |e: io::Error| ServiceError::Internal(format!("download: {e}"));
        let written = (|| {
            let out = Channel {
                tx,
                buf: Vec::with_capacity(CHUNK),
            };
            let mut sheet =
                SheetWriter::new(format, out, &head.sheet, &head.headers).map_err(fail)?;
            rows(&mut |cells| sheet.row(cells).map_err(fail))?;
            sheet.finish().map_err(fail)?.flush().map_err(fail)
        })();
        if let Err(e) = written {
            tracing::warn!(error = %e, "a download stopped before its end");
            let _ = failed.blocking_send(Err(io::Error::other(e.to_string())));
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    HttpResponse::Ok()
        .content_type(format.mime())
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .streaming(body)
}

/// A page's table (or document: see [`Paper`]) as a download in the format its path names (`csv` or
/// `xlsx`), named after what it holds.
pub async fn table_download<F, T>(
    page: &super::Page,
    format: &str,
    f: F,
) -> Result<HttpResponse, super::error::PageError>
where
    F: FnOnce(&mut super::Call<'_>) -> ServiceResult<T> + Send + 'static,
    T: Into<Paper>,
{
    use super::InLang;
    let format = Format::parse(format).page(super::auth::request_lang(page.request()))?;
    let (_, file) = page
        .run(move |c| crate::sheets::render_paper(&f(c)?.into(), format))
        .await?;
    Ok(attachment(file))
}
