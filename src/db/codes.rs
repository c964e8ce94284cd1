//! Text-coded values (`posted`, `zh`) as column types: stores read and write them as their Rust types, so
//! no handler or template compares strings.

use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use diesel::backend::Backend;

use crate::i18n::Coded;

/// Writes a coded value as its code, on any backend.
pub fn to_sql<'b, T: Coded, DB>(value: &T, out: &mut Output<'b, '_, DB>) -> serialize::Result
where
    DB: Backend,
    str: ToSql<Text, DB>,
{
    <str as ToSql<Text, DB>>::to_sql(value.code(), out)
}

/// Reads a coded value; an unknown code is an error, not a silent default.
pub fn from_sql<T: Coded, DB>(raw: DB::RawValue<'_>) -> deserialize::Result<T>
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    let code = <String as FromSql<Text, DB>>::from_sql(raw)?;
    T::from_code(&code).ok_or_else(|| format!("unknown stored code `{code}`").into())
}

/// Makes text-coded types usable as `TEXT` columns (call it in the store that reads them).
macro_rules! text_columns {
    ($($ty:ty),+ $(,)?) => {
        $(
            const _: () = {
                #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
                #[diesel(foreign_derive)]
                #[diesel(sql_type = diesel::sql_types::Text)]
                #[allow(dead_code)]
                struct Column($ty);

                impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $ty
                where
                    DB: diesel::backend::Backend,
                    str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
                {
                    fn to_sql<'b>(
                        &'b self,
                        out: &mut diesel::serialize::Output<'b, '_, DB>,
                    ) -> diesel::serialize::Result {
                        $crate::db::codes::to_sql(self, out)
                    }
                }

                impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $ty
                where
                    DB: diesel::backend::Backend,
                    String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
                {
                    fn from_sql(raw: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                        $crate::db::codes::from_sql::<Self, DB>(raw)
                    }
                }
            };
        )+
    };
}
pub(crate) use text_columns;

text_columns!(crate::i18n::Lang);
