//! A module's files in either Terraform syntax, native (`.tf`) or JSON (`.tf.json`),
//! behind one view: top-level blocks with their labels, arguments and bodies, and
//! expressions. The evaluator works on this view, so a declaration behaves the same
//! whichever syntax it was written in, and the two syntaxes refer to each other freely.

use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;

use super::expr::Evaluator;
use super::json_expr;
use super::json_structure::{self, COMMENT, JsonBlock};
use super::origins::{self, Reads};
use super::value::Value;
use crate::{hcl, spans};
use palisade_model::{LineIndex, LoadError, Position};
use palisade_syntax::json;
use palisade_syntax::{Entry, Node, NodeValue};

/// One parsed file of a module.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
    pub syntax: Syntax,
}

/// The parsed contents of a file, in the syntax its name says.
pub enum Syntax {
    /// A `.tf` file.
    Hcl(hcl_edit::structure::Body),
    /// A `.tf.json` file: its root object.
    Json(Node),
}

impl SourceFile {
    /// Parses `text`, the contents of `path`: JSON syntax for a `.json` name, native
    /// syntax otherwise. Returns the file with the problems that do not stop it from
    /// loading (a JSON block of the wrong shape, an invalid template in a JSON string),
    /// or the error that does (invalid HCL or JSON).
    pub fn parse(path: &Path, text: String) -> Result<(SourceFile, Vec<LoadError>), LoadError> {
        let is_json = path.to_str().is_some_and(|name| name.ends_with(".json"));
        let (syntax, problems) = if is_json {
            let root = json::parse(path, &text)?.unwrap_or_else(|| Node {
                value: NodeValue::Object(Vec::new()),
                span: 0..0,
            });
            if root.as_object().is_none() {
                return Err(LoadError {
                    file: path.to_path_buf(),
                    position: Position::from_offset(&text, root.span.start),
                    message: "a Terraform JSON file must hold an object".to_owned(),
                });
            }
            let problems = json_structure::check(&root, &text);
            (Syntax::Json(root), problems)
        } else {
            (Syntax::Hcl(hcl::parse(path, &text)?), Vec::new())
        };
        let errors = problems
            .into_iter()
            .map(|problem| LoadError {
                file: path.to_path_buf(),
                position: Position::from_offset(&text, problem.range.start),
                message: problem.message,
            })
            .collect();
        let file = SourceFile {
            path: path.to_path_buf(),
            lines: LineIndex::new(&text),
            text,
            syntax,
        };
        Ok((file, errors))
    }

    /// The top-level blocks of the file, in source order. A JSON block of the wrong
    /// shape is left out (it was reported when the file was parsed).
    pub fn blocks(&self) -> Vec<Declared<'_>> {
        match &self.syntax {
            Syntax::Hcl(body) => body
                .blocks()
                .map(|block| Declared {
                    kind: block.ident.as_str(),
                    labels: block.labels.iter().map(|label| label.as_str()).collect(),
                    block: Block::Hcl(block),
                })
                .collect(),
            Syntax::Json(root) => json_structure::blocks(root).0,
        }
    }
}

/// A top-level block: `resource "TYPE" "NAME" { ... }` or its JSON form.
pub struct Declared<'c> {
    /// `resource`, `variable`, `locals`...
    pub kind: &'c str,
    pub labels: Vec<&'c str>,
    pub block: Block<'c>,
}

/// A block in either syntax.
#[derive(Clone)]
pub enum Block<'c> {
    Hcl(&'c hcl_edit::structure::Block),
    Json(JsonBlock<'c>),
}

/// A block body in either syntax: what a resource's attributes are read from.
#[derive(Clone, Copy)]
pub enum Body<'c> {
    Hcl(&'c hcl_edit::structure::Body),
    /// The entries of a JSON object, comments included.
    Json(&'c [Entry]),
}

/// One `NAME = expression` argument of a block.
pub struct Argument<'c> {
    pub name: &'c str,
    pub expr: Expr<'c>,
    /// From the name to the end of the value.
    pub range: Option<Range<usize>>,
}

impl<'c> Block<'c> {
    /// Where problems with the block as a whole point: its type keyword, or in JSON the
    /// key of its last label.
    pub fn at(&self) -> Option<Range<usize>> {
        match self {
            Block::Hcl(block) => block.ident.span(),
            Block::Json(block) => Some(block.header.clone()),
        }
    }

    /// What a finding on the whole block underlines: `resource "t" "n" {`, or in JSON
    /// the key of its last label (`"n"`).
    pub fn header(&self, text: &str) -> Range<usize> {
        match self {
            Block::Hcl(block) => spans::block_header(text, block),
            Block::Json(block) => block.header.clone(),
        }
    }

    pub fn body(&self) -> Body<'c> {
        match self {
            Block::Hcl(block) => Body::Hcl(&block.body),
            Block::Json(block) => Body::Json(block.body),
        }
    }

    /// The argument `name`, if the block sets it.
    pub fn argument(&self, name: &str) -> Option<Argument<'c>> {
        match self {
            Block::Hcl(block) => block.body.get_attribute(name).map(hcl_argument),
            Block::Json(block) => block
                .body
                .iter()
                .find(|entry| entry.key == name && entry.key != COMMENT)
                .map(json_argument),
        }
    }

    /// The expression of argument `name`, if the block sets it.
    pub fn attribute(&self, name: &str) -> Option<Expr<'c>> {
        self.argument(name).map(|argument| argument.expr)
    }

    /// The arguments of the block, in source order. In JSON every property but a
    /// comment is one: without a schema a nested block cannot be told from an argument,
    /// and the blocks whose arguments are read this way (`locals`, `module`, `variable`,
    /// `output`) have no nested blocks that matter here.
    pub fn arguments(&self) -> Vec<Argument<'c>> {
        match self {
            Block::Hcl(block) => block.body.attributes().map(hcl_argument).collect(),
            Block::Json(block) => block
                .body
                .iter()
                .filter(|entry| entry.key != COMMENT)
                .map(json_argument)
                .collect(),
        }
    }
}

fn hcl_argument(attribute: &hcl_edit::structure::Attribute) -> Argument<'_> {
    Argument {
        name: attribute.key.as_str(),
        expr: Expr::Hcl(&attribute.value),
        range: attribute.span(),
    }
}

fn json_argument(entry: &Entry) -> Argument<'_> {
    Argument {
        name: &entry.key,
        expr: Expr::Json(&entry.value),
        range: Some(entry.span()),
    }
}

/// An expression in either syntax: a native expression, or a JSON value read with the
/// JSON syntax's expression mapping (strings are templates).
#[derive(Clone, Copy)]
pub enum Expr<'c> {
    Hcl(&'c Expression),
    Json(&'c Node),
}

impl<'c> Expr<'c> {
    /// The byte range of the expression in its file.
    pub fn range(&self) -> Option<Range<usize>> {
        match self {
            Expr::Hcl(expr) => expr.span(),
            Expr::Json(node) => Some(node.span.clone()),
        }
    }

    /// The value of the expression; `evaluator` must be for the expression's file.
    pub fn eval(&self, evaluator: &Evaluator<'_>) -> Value {
        match self {
            Expr::Hcl(expr) => evaluator.eval(expr),
            Expr::Json(node) => json_expr::eval(evaluator, node),
        }
    }

    /// The variables and locals the expression reads.
    pub fn reads(&self) -> Reads {
        match self {
            Expr::Hcl(expr) => origins::reads(expr),
            Expr::Json(node) => json_expr::reads(node),
        }
    }

    /// The text of a literal string (`"./modules/web"`), which some arguments require.
    pub fn literal_text(&self) -> Option<&'c str> {
        match self {
            Expr::Hcl(expr) => expr.as_str(),
            Expr::Json(node) => node.as_str(),
        }
    }
}
