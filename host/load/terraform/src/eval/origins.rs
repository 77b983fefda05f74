//! Which variables an expression reads, directly or through locals: where a value that is
//! not written at the attribute using it comes from, so that a finding can name it.

use std::collections::BTreeSet;

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::visit::{Visit, visit_traversal};

/// The `var.NAME` and `local.NAME` references of an expression.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reads {
    pub variables: BTreeSet<String>,
    pub locals: BTreeSet<String>,
}

/// What `expr` reads.
pub fn reads(expr: &Expression) -> Reads {
    let mut reads = Reads::default();
    reads.visit_expr(expr);
    reads
}

impl Visit for Reads {
    fn visit_traversal(&mut self, traversal: &Traversal) {
        if let (Expression::Variable(root), Some(TraversalOperator::GetAttr(name))) = (
            &traversal.expr,
            traversal.operators.first().map(|op| op.value()),
        ) {
            match root.as_str() {
                "var" => {
                    self.variables.insert(name.as_str().to_owned());
                }
                "local" => {
                    self.locals.insert(name.as_str().to_owned());
                }
                _ => {}
            }
        }
        visit_traversal(self, traversal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables_and_locals_anywhere_in_an_expression() {
        let expr: Expression = r#"var.a == "x" ? "${local.b}-${var.c}" : lookup(local.d, var.a)"#
            .parse()
            .expect("parses");
        let found = reads(&expr);
        assert_eq!(
            found.variables,
            BTreeSet::from(["a".to_owned(), "c".to_owned()])
        );
        assert_eq!(
            found.locals,
            BTreeSet::from(["b".to_owned(), "d".to_owned()])
        );
    }
}
