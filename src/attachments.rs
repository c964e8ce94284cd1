//! Files people attach (certificate scans now; plan files and circular attachments next), kept in the
//! database so several instances share them: the content type is read from the bytes, not believed from the
//! name or the header, and checked against what the owning area allows; the size is capped; the bytes are
//! hashed. Serving one is the owning area's business, after its own permission check.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema_teams::attachments;
use crate::db::DbConn;
use crate::error::ServiceError;

/// The largest attachment, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// A kind of file recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `%PDF-`.
    Pdf,
    /// PNG's eight-byte signature.
    Png,
    /// JPEG's start-of-image marker.
    Jpeg,
}

impl FileKind {
    /// The content type it is served as.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }

    /// What the bytes are, if one of the kinds known.
    pub fn sniff(data: &[u8]) -> Option<FileKind> {
        if data.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else {
            None
        }
    }
}

/// Scans: a PDF or a photo.
pub const SCANS: &[FileKind] = &[FileKind::Pdf, FileKind::Png, FileKind::Jpeg];

/// A file checked and ready to keep.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name it came with (shown, never used as a path).
    pub file_name: String,
    /// What it is.
    pub kind: FileKind,
    /// Its bytes.
    pub data: Vec<u8>,
}

impl Upload {
    /// Checks a file against the kinds `allowed` and [`MAX_BYTES`]; the name is kept for show only.
    pub fn check(
        field: &'static str,
        file_name: &str,
        data: Vec<u8>,
        allowed: &[FileKind],
    ) -> Result<Upload, ServiceError> {
        if data.is_empty() {
            return Err(ServiceError::invalid(
                field,
                "文件是空的",
                "The file is empty",
            ));
        }
        if data.len() > MAX_BYTES {
            return Err(ServiceError::TooLarge {
                limit_bytes: MAX_BYTES,
            });
        }
        let kind = FileKind::sniff(&data)
            .filter(|k| allowed.contains(k))
            .ok_or_else(|| {
                ServiceError::invalid(
                    field,
                    "只接受 PDF、PNG 或 JPEG 文件",
                    "Only PDF, PNG or JPEG files are accepted",
                )
            })?;
        let name: String = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect();
        Ok(Upload {
            file_name: if name.trim().is_empty() {
                "scan".into()
            } else {
                name
            },
            kind,
            data,
        })
    }
}

/// A kept attachment, without its bytes.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = attachments)]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the bytes, in hex.
    pub sha256: String,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

/// Keeps a checked file; returns its id.
pub fn insert(
    conn: &mut DbConn,
    upload: &Upload,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<AttachmentInfo> {
    let sha: String = Sha256::digest(&upload.data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    diesel::insert_into(attachments::table)
        .values((
            attachments::file_name.eq(&upload.file_name),
            attachments::content_type.eq(upload.kind.mime()),
            attachments::size_bytes.eq(upload.data.len() as i64),
            attachments::sha256.eq(sha),
            attachments::data.eq(&upload.data),
            attachments::created_by.eq(by),
            attachments::created_at.eq(now),
        ))
        .returning((
            attachments::id,
            attachments::file_name,
            attachments::content_type,
            attachments::size_bytes,
            attachments::sha256,
            attachments::created_at,
        ))
        .get_result(conn)
}

/// An attachment's description.
pub fn info(conn: &mut DbConn, id: i64) -> QueryResult<Option<AttachmentInfo>> {
    attachments::table
        .find(id)
        .select(AttachmentInfo::as_select())
        .first(conn)
        .optional()
}

/// An attachment's description and bytes.
pub fn load(conn: &mut DbConn, id: i64) -> QueryResult<Option<(AttachmentInfo, Vec<u8>)>> {
    attachments::table
        .find(id)
        .select((AttachmentInfo::as_select(), attachments::data))
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_the_type_not_the_name() {
        let pdf = b"%PDF-1.7 ...".to_vec();
        let u = Upload::check("scan", "C:\\scans\\证书.pdf", pdf, SCANS).unwrap();
        assert_eq!((u.kind, u.file_name.as_str()), (FileKind::Pdf, "证书.pdf"));
        let html = b"<html><script>alert(1)</script>".to_vec();
        assert!(Upload::check("scan", "证书.pdf", html, SCANS).is_err());
        let png = b"\x89PNG\r\n\x1a\n....".to_vec();
        assert!(Upload::check("scan", "x", png.clone(), &[FileKind::Pdf]).is_err());
        assert_eq!(
            Upload::check("scan", "", png, SCANS).unwrap().file_name,
            "scan"
        );
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        assert!(Upload::check("scan", "a.pdf", Vec::new(), SCANS).is_err());
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert!(matches!(
            Upload::check("scan", "a.pdf", big, SCANS),
            Err(ServiceError::TooLarge { .. })
        ));
    }
}
