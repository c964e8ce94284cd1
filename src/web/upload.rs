//! Forms that carry a file (`multipart/form-data`): the CSRF token is checked and the one-time token kept,
//! like a plain form's; text fields are small; the file is read up to a limit and never past it.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_session::SessionExt;
use actix_web::{HttpMessage, HttpRequest};
use futures_util::StreamExt;

use super::csrf::{self, FormToken, FIELD, ONCE_FIELD};
use crate::error::ServiceError;

/// A submitted form with a file.
#[derive(Debug, Default)]
pub struct Uploaded {
    /// The text fields, by name (the last value of a repeated one).
    pub fields: HashMap<String, String>,
    /// The file field's file name and bytes, if a file was chosen.
    pub file: Option<(String, Vec<u8>)>,
    /// The file was larger than allowed (it was not kept, nor anything after it in the form).
    pub too_large: bool,
}

impl Uploaded {
    /// A text field, or empty.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// The file's bytes; refused when none was chosen or it was over `limit` bytes (the form's limit).
    pub fn into_file(self, limit: usize) -> Result<Vec<u8>, ServiceError> {
        if self.too_large {
            let mb = limit / (1024 * 1024);
            return Err(ServiceError::Invalid {
                field: "file",
                message: crate::i18n::Text::new(
                    format!("文件不能超过 {mb} MB"),
                    format!("The file may be at most {mb} MB"),
                ),
            });
        }
        self.file.map(|(_, bytes)| bytes).ok_or_else(|| {
            ServiceError::invalid("file", "请选择要上传的文件", "Choose a file to upload")
        })
    }
}

/// Reads a form whose file field is `file_field`, at most `limit` bytes (a larger one is noted in
/// [`Uploaded::too_large`] for the form to say so); refuses it without the session's CSRF token.
pub async fn read_form(
    mut form: Multipart,
    req: &HttpRequest,
    file_field: &str,
    limit: usize,
) -> Result<Uploaded, ServiceError> {
    let failed =
        || ServiceError::invalid("file", "上传失败，请重试", "The upload failed; try again");
    let mut out = Uploaded::default();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| failed())?;
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            let file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or_default()
                .to_string();
            match field.bytes(limit).await {
                Ok(bytes) => {
                    let bytes = bytes.map_err(|_| failed())?;
                    if !bytes.is_empty() {
                        out.file = Some((file_name, bytes.to_vec()));
                    }
                }
                Err(_) => {
                    // The rest of the body is not read: the form is answered with what came before.
                    out.too_large = true;
                    break;
                }
            }
        } else {
            let bytes = field
                .bytes(4096)
                .await
                .map_err(|_| failed())?
                .map_err(|_| failed())?;
            out.fields
                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    if !csrf::verify(&req.get_session(), out.field(FIELD)) {
        return Err(ServiceError::CsrfRejected);
    }
    let once = out.field(ONCE_FIELD).trim();
    if (1..=64).contains(&once.len()) {
        req.extensions_mut().insert(FormToken(once.to_string()));
    }
    Ok(out)
}
