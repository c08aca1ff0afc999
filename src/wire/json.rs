//! The body writer: serde's data model as compact JSON in one buffer, struct keys copied as they are.
//!
//! A general serializer treats every key as a string that might need escaping, and passes
//! it through the same map-key machinery as a key known only at run time. The keys of the
//! body structs are this crate's own field names, fixed at compile time: written as one
//! copy each, an uncached page of log items costs about half the instructions (BENCHMARKS.md).
//! Every string value is still escaped, by sonic-rs's SIMD scan. The bytes are exactly
//! serde_json's, which `tests/api/rendering.rs` checks over every GET of two worlds.

use std::fmt::{self, Display};

use serde::Serialize;
use serde::ser::{self, Error as _, Impossible};
use sonic_rs::format::{CompactFormatter, Formatter};

type Error = serde_json::Error;

/// Appends `value` to `out` as compact JSON.
pub fn write(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) -> Result<(), Error> {
    value.serialize(&mut Json {
        out,
        plain_next: false,
    })
}

/// The name a [`PlainText`] is serialized under, as serde_json marks its raw values.
const PLAIN_TEXT: &str = "$vb365_mock::PlainText";

/// A string known to hold nothing JSON escapes: a time, an id, a name of this crate's. The
/// body writer copies it between quotes without looking at it; any other serializer sees a
/// newtype around a string and writes the same bytes.
#[derive(Debug, Clone, Copy)]
pub struct PlainText<'a>(pub &'a str);

impl Serialize for PlainText<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(PLAIN_TEXT, self.0)
    }
}

/// An id, written as [`PlainText`]: hyphenated hex needs no escaping.
#[derive(Debug, Clone, Copy)]
pub struct PlainUuid<'a>(pub &'a uuid::Uuid);

impl Serialize for PlainUuid<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PlainText(
            self.0
                .hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
        )
        .serialize(serializer)
    }
}

struct Json<'a> {
    out: &'a mut Vec<u8>,
    /// Set by a [`PlainText`] for the string it is about to write.
    plain_next: bool,
}

impl Json<'_> {
    fn string(&mut self, text: &str) -> Result<(), Error> {
        CompactFormatter
            .write_string_fast(self.out, text, true)
            .map_err(Error::io)
    }

    fn integer(&mut self, value: impl itoa::Integer) -> Result<(), Error> {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
        Ok(())
    }

    /// A float as its shortest decimal, or null when it is not finite (as serde_json).
    fn float(&mut self, value: impl zmij::Float, finite: bool) -> Result<(), Error> {
        if finite {
            self.out
                .extend_from_slice(zmij::Buffer::new().format_finite(value).as_bytes());
        } else {
            self.out.extend_from_slice(b"null");
        }
        Ok(())
    }

    /// Opens an object whose one key is `variant`, for the variants that carry data.
    fn variant_key(&mut self, variant: &str) -> Result<(), Error> {
        self.out.push(b'{');
        self.string(variant)?;
        self.out.push(b':');
        Ok(())
    }
}

/// A `Display` value's text written into the body, escaped piece by piece as it comes.
struct Escaping<'j, 'a>(&'j mut Json<'a>);

impl fmt::Write for Escaping<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        CompactFormatter
            .write_string_fast(self.0.out, text, false)
            .map_err(|_| fmt::Error)
    }
}

/// A serializer's integer methods, each handing its value to `$write`.
macro_rules! integers {
    ($write:ident) => {
        integers!($write: i8 serialize_i8, i16 serialize_i16, i32 serialize_i32,
            i64 serialize_i64, i128 serialize_i128, u8 serialize_u8, u16 serialize_u16,
            u32 serialize_u32, u64 serialize_u64, u128 serialize_u128);
    };
    ($write:ident: $($integer:ident $method:ident),*) => {$(
        fn $method(self, value: $integer) -> Result<(), Error> {
            self.$write(value)
        }
    )*};
}

impl<'j, 'a> ser::Serializer for &'j mut Json<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'j, 'a>;
    type SerializeTuple = Compound<'j, 'a>;
    type SerializeTupleStruct = Compound<'j, 'a>;
    type SerializeTupleVariant = Compound<'j, 'a>;
    type SerializeMap = Compound<'j, 'a>;
    type SerializeStruct = Compound<'j, 'a>;
    type SerializeStructVariant = Compound<'j, 'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }

    integers!(integer);

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        self.float(value, value.is_finite())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        self.float(value, value.is_finite())
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        self.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        if std::mem::take(&mut self.plain_next) {
            debug_assert!(
                !value
                    .bytes()
                    .any(|byte| byte < 0x20 || byte == b'"' || byte == b'\\'),
                "the plain text {value:?} needs escaping"
            );
            self.out.reserve(value.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(value.as_bytes());
            self.out.push(b'"');
            Ok(())
        } else {
            self.string(value)
        }
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq;
        let mut bytes = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            bytes.serialize_element(byte)?;
        }
        bytes.end()
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.plain_next = name == PLAIN_TEXT;
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant_key(variant)?;
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'j, 'a>, Error> {
        Ok(Compound::open(self, b'[', b"]"))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'j, 'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'j, 'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'j, 'a>, Error> {
        self.variant_key(variant)?;
        Ok(Compound::open(self, b'[', b"]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'j, 'a>, Error> {
        Ok(Compound::open(self, b'{', b"}"))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'j, 'a>, Error> {
        Ok(Compound::open(self, b'{', b"}"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'j, 'a>, Error> {
        self.variant_key(variant)?;
        Ok(Compound::open(self, b'{', b"}}"))
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        use fmt::Write;
        self.out.push(b'"');
        write!(Escaping(self), "{value}").map_err(Error::custom)?;
        self.out.push(b'"');
        Ok(())
    }
}

/// An array or object being written: whether the next element needs a comma before it, and
/// what closes it.
pub struct Compound<'j, 'a> {
    json: &'j mut Json<'a>,
    first: bool,
    close: &'static [u8],
}

impl<'j, 'a> Compound<'j, 'a> {
    fn open(json: &'j mut Json<'a>, open: u8, close: &'static [u8]) -> Self {
        json.out.push(open);
        Compound {
            json,
            first: true,
            close,
        }
    }

    fn separate(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.json.out.push(b',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.separate();
        value.serialize(&mut *self.json)
    }

    /// A struct field: its key is a field name of this crate's, so it is copied unescaped.
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        debug_assert!(
            !key.bytes()
                .any(|byte| byte < 0x20 || byte == b'"' || byte == b'\\'),
            "the key {key:?} needs escaping"
        );
        self.separate();
        let out = &mut *self.json.out;
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
        value.serialize(&mut *self.json)
    }

    fn close(self) -> Result<(), Error> {
        self.json.out.extend_from_slice(self.close);
        Ok(())
    }
}

/// The compounds whose elements are written one after another, without keys.
macro_rules! written_in_order {
    ($($compound:ident::$element:ident),*) => {$(
        impl ser::$compound for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;

            fn $element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }

            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

written_in_order!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.separate();
        key.serialize(MapKey(&mut *self.json))?;
        self.json.out.push(b':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.json)
    }

    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

/// The compounds whose fields are written under their names.
macro_rules! written_by_name {
    ($($compound:ident),*) => {$(
        impl ser::$compound for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }

            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

written_by_name!(SerializeStruct, SerializeStructVariant);

/// A map's key, known only at run time: written as a JSON string, escaped, the way
/// serde_json writes the keys it accepts (strings, characters, integers, booleans).
struct MapKey<'j, 'a>(&'j mut Json<'a>);

impl MapKey<'_, '_> {
    fn quoted(self, text: &str) -> Result<(), Error> {
        let out = &mut *self.0.out;
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Ok(())
    }

    fn quoted_integer(self, value: impl itoa::Integer) -> Result<(), Error> {
        self.quoted(itoa::Buffer::new().format(value))
    }
}

fn key_must_be_a_string() -> Error {
    Error::custom("key must be a string")
}

impl ser::Serializer for MapKey<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.quoted(if value { "true" } else { "false" })
    }

    integers!(quoted_integer);

    fn serialize_f32(self, _value: f32) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_f64(self, _value: f64) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        self.0.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        self.0.string(value)
    }

    fn serialize_bytes(self, _value: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.0.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        ser::Serializer::collect_str(&mut *self.0, value)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    fn written(value: &impl Serialize) -> String {
        let mut out = Vec::new();
        super::write(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Struct<'a> {
        text: &'a str,
        count: u64,
        negative: i32,
        ratio: f64,
        nothing: Option<u8>,
        flags: Vec<bool>,
        nested: BTreeMap<&'a str, Variant>,
        empty: Vec<u8>,
        unit: (),
        character: char,
        tuple: (u8, &'a str),
    }

    #[derive(Serialize)]
    enum Variant {
        Unit,
        Newtype(u8),
        Tuple(u8, u8),
        Struct { inner: bool },
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let mut nested = BTreeMap::new();
        nested.insert("a\"quote", Variant::Unit);
        nested.insert("b", Variant::Newtype(7));
        nested.insert("c", Variant::Tuple(1, 2));
        nested.insert("d\n", Variant::Struct { inner: false });
        let value = Struct {
            text: "line\nbreak \"quoted\" back\\slash \u{1} tab\t é ✓",
            count: u64::MAX,
            negative: -42,
            ratio: 0.1,
            nothing: None,
            flags: vec![true, false],
            nested,
            empty: Vec::new(),
            unit: (),
            character: '"',
            tuple: (3, "x"),
        };
        assert_eq!(written(&value), serde_json::to_string(&value).unwrap());
        for ratio in [1.0, 1e21, -0.0, f64::NAN, f64::INFINITY] {
            assert_eq!(written(&ratio), serde_json::to_string(&ratio).unwrap());
        }
    }

    #[test]
    fn writes_integer_keys_quoted_and_refuses_keys_that_are_not_strings() {
        let numbered: BTreeMap<i32, u8> = [(-1, 1), (2, 2)].into();
        assert_eq!(written(&numbered), r#"{"-1":1,"2":2}"#);
        let by_list: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        assert!(super::write(&mut Vec::new(), &by_list).is_err());
    }

    #[test]
    fn escapes_what_a_display_value_writes() {
        struct Shown;
        impl std::fmt::Display for Shown {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a\"b")?;
                formatter.write_str("\\c")
            }
        }
        struct Collected;
        impl Serialize for Collected {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(&Shown)
            }
        }
        assert_eq!(written(&Collected), r#""a\"b\\c""#);
        assert_eq!(
            written(&Collected),
            serde_json::to_string(&Collected).unwrap()
        );
    }
}
