//! Page requests and pages of results, shared by every list.

use serde::Serialize;

use crate::error::ServiceError;

/// Which page of a list to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based page number.
    pub page: i64,
    /// Rows per page (1–200).
    pub per_page: i64,
}

impl PageRequest {
    /// Largest page size a client may ask for.
    pub const MAX_PER_PAGE: i64 = 200;

    /// Clamps the requested page into range; missing values give page 1 of 50.
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Self {
        PageRequest {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(50).clamp(1, Self::MAX_PER_PAGE),
        }
    }

    /// What an API client asked for: out of range is refused (page from 1, 1–200 rows per page), since the
    /// document states the range; missing values give page 1 of 50.
    pub fn asked(page: Option<i64>, per_page: Option<i64>) -> Result<Self, ServiceError> {
        if page.is_some_and(|p| p < 1) {
            return Err(ServiceError::invalid(
                "page",
                "页码从 1 开始",
                "Pages are numbered from 1",
            ));
        }
        if per_page.is_some_and(|n| !(1..=Self::MAX_PER_PAGE).contains(&n)) {
            return Err(ServiceError::invalid(
                "per_page",
                "每页条数须在 1–200 之间",
                "per_page must be 1–200",
            ));
        }
        Ok(Self::new(page, per_page))
    }

    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// One page of a list, with the total across all pages.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    /// The rows on this page.
    pub items: Vec<T>,
    /// Rows across all pages.
    pub total: i64,
    /// This page (1-based).
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

impl<T> Page<T> {
    /// Wraps rows fetched for `req`.
    pub fn new(items: Vec<T>, total: i64, req: PageRequest) -> Self {
        Page {
            items,
            total,
            page: req.page,
            per_page: req.per_page,
        }
    }

    /// Converts every row.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    /// Number of pages (at least 1).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_requests_are_clamped_to_sane_values() {
        assert_eq!(
            PageRequest::new(Some(0), Some(10_000)),
            PageRequest {
                page: 1,
                per_page: 200
            }
        );
        assert_eq!(PageRequest::new(Some(3), Some(20)).offset(), 40);
        assert!(PageRequest::asked(Some(0), None).is_err());
        assert!(PageRequest::asked(None, Some(201)).is_err());
        assert!(PageRequest::asked(None, Some(0)).is_err());
        assert_eq!(
            PageRequest::asked(Some(2), Some(200)).unwrap(),
            PageRequest {
                page: 2,
                per_page: 200
            }
        );
        assert_eq!(
            Page::<()>::new(vec![], 41, PageRequest::new(None, Some(20))).pages(),
            3
        );
        assert_eq!(
            Page::<()>::new(vec![], 0, PageRequest::new(None, None)).pages(),
            1
        );
    }
}
