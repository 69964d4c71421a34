//! `#[derive(FromValue)]`: the reader of one REC or REDB model type (`rec_core::validate::read::FromValue`),
//! generated from the type's serde attributes so that it reads exactly what serde's derived `Deserialize` reads.
//!
//! Why not serde's derive: every model type's `Deserialize` is generic over the deserializer, so each struct got a
//! visitor, a field identifier, a key seed, a value seed per field type and an option wrapper per field, all
//! monomorphised and inlined into one another: about 80 KB gzip of the browser module went to reading the model.
//! The code generated here is one small function per type: the loop over an object's entries, the unknown-field
//! bookkeeping and the error messages live once in `read` (not generic), and each field costs a match arm.
//!
//! What it understands is what the models use, and anything else is a compile error rather than a silent
//! difference: on the type `rename_all` (`camelCase`, `lowercase`, `kebab-case`, `snake_case`, `PascalCase`,
//! `UPPERCASE`, `SCREAMING_SNAKE_CASE`); on a field `rename`, `default` and `flatten` (a map taking the unknown
//! fields); `skip_serializing_if` is for the writer and ignored. Enums must have unit variants only (`rename` on
//! a variant works too). Other attributes (`schemars`, `kube`, docs) are not serde's and pass by.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Error, Fields, LitStr, Type, parse_macro_input, spanned::Spanned};

#[proc_macro_derive(FromValue, attributes(serde))]
pub fn derive_from_value(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input).unwrap_or_else(Error::into_compile_error).into()
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let rule = Rule::of(&input.attrs)?;
    let body = match &input.data {
        Data::Struct(data) => read_struct(name, rule, &data.fields)?,
        Data::Enum(data) => {
            let mut names = Vec::new();
            let mut arms = Vec::new();
            for variant in &data.variants {
                if !matches!(variant.fields, Fields::Unit) {
                    return Err(Error::new(variant.span(), "FromValue reads unit variants only"));
                }
                let ident = &variant.ident;
                names.push(
                    Attrs::of(&variant.attrs)?
                        .rename
                        .unwrap_or_else(|| rule.variant(&ident.to_string())),
                );
                arms.push(quote!(#name::#ident));
            }
            let last = arms
                .pop()
                .ok_or_else(|| Error::new(name.span(), "FromValue needs a variant"))?;
            let index = 0..arms.len();
            quote! {
                const FIELDS: &'static [&'static str] = &[];
                fn from_value(
                    value: &::serde_json::Value,
                    at: &crate::validate::read::Path<'_>,
                    _: &mut ::std::vec::Vec<crate::validate::path::JsonPath>,
                ) -> ::std::result::Result<Self, crate::validate::read::Error> {
                    const VARIANTS: &[&str] = &[#(#names),*];
                    ::std::result::Result::Ok(match crate::validate::read::variant(value, VARIANTS, at)? {
                        #(#index => #arms,)*
                        _ => #last,
                    })
                }
            }
        }
        Data::Union(_) => return Err(Error::new(name.span(), "FromValue reads structs and enums")),
    };
    Ok(quote! {
        impl crate::validate::read::FromValue for #name {
            #body
        }
    })
}

/// A struct's reader: each entry of the object to its field's slot (in the object's order, as serde reads it),
/// then the struct from the slots, in declaration order (the first required field missing is the error).
fn read_struct(name: &syn::Ident, rule: Rule, fields: &Fields) -> syn::Result<Tokens> {
    let Fields::Named(fields) = fields else {
        return Err(Error::new(name.span(), "FromValue reads structs with named fields"));
    };
    let expecting = format!("struct {name}");
    let mut names = Vec::new();
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut inits = Vec::new();
    let mut rest = None;
    for field in &fields.named {
        let ident = field.ident.as_ref().expect("named fields have names");
        let attrs = Attrs::of(&field.attrs)?;
        if attrs.flatten {
            if rest.is_some() {
                return Err(Error::new(field.span(), "FromValue reads one flattened field"));
            }
            rest = Some(ident);
            inits.push(quote!(#ident: rest));
            continue;
        }
        let json = attrs
            .rename
            .unwrap_or_else(|| rule.field(ident.to_string().trim_start_matches("r#")));
        let slot = format_ident!("f{}", names.len());
        let ty = &field.ty;
        slots.push(quote!(let mut #slot: ::std::option::Option<#ty> = ::std::option::Option::None;));
        arms.push(quote!(#slot = ::std::option::Option::Some(crate::validate::read::FromValue::from_value(value, at, ignored)?)));
        inits.push(if attrs.default || is_option(ty) {
            quote!(#ident: #slot.unwrap_or_default())
        } else {
            quote!(#ident: match #slot {
                ::std::option::Option::Some(value) => value,
                ::std::option::Option::None => return ::std::result::Result::Err(crate::validate::read::missing(at, #json)),
            })
        });
        names.push(json);
    }
    let (rest_decl, rest_arg) = match rest {
        Some(_) => (
            quote!(let mut rest = ::std::collections::BTreeMap::new();),
            quote!(::std::option::Option::Some(&mut rest)),
        ),
        None => (Tokens::new(), quote!(::std::option::Option::None)),
    };
    // The last field's arm is the catch-all: `fields` only calls with the index of a field.
    let arms = match arms.pop() {
        Some(last) => {
            let index = 0..arms.len();
            quote!(#(#index => #arms,)* _ => #last,)
        }
        None => quote!(_ => {}),
    };
    Ok(quote! {
        const FIELDS: &'static [&'static str] = &[#(#names),*];
        fn from_value(
            value: &::serde_json::Value,
            at: &crate::validate::read::Path<'_>,
            ignored: &mut ::std::vec::Vec<crate::validate::path::JsonPath>,
        ) -> ::std::result::Result<Self, crate::validate::read::Error> {
            #(#slots)*
            #rest_decl
            crate::validate::read::fields(value, #expecting, Self::FIELDS, at, ignored, #rest_arg, &mut |index, value, at, ignored| {
                match index { #arms }
                ::std::result::Result::Ok(())
            })?;
            ::std::result::Result::Ok(#name { #(#inits),* })
        }
    })
}

/// Whether a field's type is spelled `Option<...>`: serde reads a missing `Option` as `None` without `default`.
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|segment| segment.ident == "Option"))
}

/// The serde attributes of a field or variant that change what is read.
#[derive(Default)]
struct Attrs {
    rename: Option<String>,
    default: bool,
    flatten: bool,
}

impl Attrs {
    fn of(attrs: &[syn::Attribute]) -> syn::Result<Attrs> {
        let mut out = Attrs::default();
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    out.rename = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("default") {
                    if meta.input.peek(syn::Token![=]) {
                        return Err(meta.error("FromValue reads `default` without a function"));
                    }
                    out.default = true;
                } else if meta.path.is_ident("flatten") {
                    out.flatten = true;
                } else if meta.path.is_ident("skip_serializing_if") {
                    meta.value()?.parse::<LitStr>()?;
                } else {
                    return Err(meta.error("FromValue does not read this serde attribute"));
                }
                Ok(())
            })?;
        }
        Ok(out)
    }
}

/// A type's `rename_all`, applied as serde applies it to fields (snake_case names) and variants (PascalCase).
#[derive(Clone, Copy)]
enum Rule {
    None,
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
}

impl Rule {
    fn of(attrs: &[syn::Attribute]) -> syn::Result<Rule> {
        let mut rule = Rule::None;
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                if !meta.path.is_ident("rename_all") {
                    return Err(meta.error("FromValue does not read this serde attribute on a type"));
                }
                let value = meta.value()?.parse::<LitStr>()?;
                rule = match value.value().as_str() {
                    "lowercase" => Rule::Lower,
                    "UPPERCASE" => Rule::Upper,
                    "PascalCase" => Rule::Pascal,
                    "camelCase" => Rule::Camel,
                    "snake_case" => Rule::Snake,
                    "SCREAMING_SNAKE_CASE" => Rule::ScreamingSnake,
                    "kebab-case" => Rule::Kebab,
                    _ => return Err(Error::new(value.span(), "FromValue does not know this rename_all rule")),
                };
                Ok(())
            })?;
        }
        Ok(rule)
    }

    fn field(self, name: &str) -> String {
        match self {
            Rule::None | Rule::Lower | Rule::Snake => name.to_string(),
            Rule::Upper | Rule::ScreamingSnake => name.to_ascii_uppercase(),
            Rule::Kebab => name.replace('_', "-"),
            Rule::Pascal | Rule::Camel => {
                let mut out = String::new();
                let mut capital = matches!(self, Rule::Pascal);
                for ch in name.chars() {
                    match ch {
                        '_' => capital = true,
                        _ if capital => {
                            out.push(ch.to_ascii_uppercase());
                            capital = false;
                        }
                        _ => out.push(ch),
                    }
                }
                out
            }
        }
    }

    fn variant(self, name: &str) -> String {
        let snake = || {
            let mut out = String::new();
            for (i, ch) in name.char_indices() {
                if i > 0 && ch.is_uppercase() {
                    out.push('_');
                }
                out.push(ch.to_ascii_lowercase());
            }
            out
        };
        match self {
            Rule::None | Rule::Pascal => name.to_string(),
            Rule::Lower => name.to_ascii_lowercase(),
            Rule::Upper => name.to_ascii_uppercase(),
            Rule::Camel => name[..1].to_ascii_lowercase() + &name[1..],
            Rule::Snake => snake(),
            Rule::ScreamingSnake => snake().to_ascii_uppercase(),
            Rule::Kebab => snake().replace('_', "-"),
        }
    }
}
