//! String templates: `"${...}"` interpolations, `%{if}` and `%{for}` directives, heredocs,
//! and the `~` strip markers that trim the whitespace next to them.

use hcl_edit::expr::Expression;
use hcl_edit::template::{
    Directive, Element, ForDirective, HeredocTemplate, IfDirective, Strip, Template,
};

use super::expr::Evaluator;
use super::value::Value;

/// Renders a quoted template. A template that is one interpolation (`"${var.x}"`) has
/// the value of its expression, whatever its type, as Terraform does.
pub fn render(evaluator: &Evaluator<'_>, template: &Template) -> Value {
    if let [Element::Interpolation(only)] = elements(template).as_slice() {
        return evaluator.eval(&only.expr);
    }
    let mut out = String::new();
    match render_into(evaluator, template, &mut out) {
        Ok(()) => Value::String(out),
        Err(unknown) => unknown,
    }
}

/// Renders a `<<-` heredoc as Terraform does: the common indentation of its lines is
/// removed from the source text before the template is read, directives included.
pub fn heredoc(
    evaluator: &Evaluator<'_>,
    heredoc: &HeredocTemplate,
    source: Option<&str>,
) -> Value {
    let Some(body) = source.and_then(indented_body) else {
        return render(evaluator, &heredoc.template);
    };
    match hcl_edit::parser::parse_template(&dedent(body)) {
        Ok(template) => render(evaluator, &template),
        Err(_) => render(evaluator, &heredoc.template),
    }
}

/// The lines between `<<-MARKER` and the closing marker, if `source` is an indented heredoc.
fn indented_body(source: &str) -> Option<&str> {
    let rest = source.strip_prefix("<<-")?;
    let body_start = rest.find('\n')? + 1;
    let body = &rest[body_start..];
    let end = body.rfind('\n').map_or(0, |i| i + 1);
    Some(&body[..end])
}

/// `body` without the indentation its non-blank lines share.
fn dedent(body: &str) -> String {
    let indent = body
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    body.split_inclusive('\n')
        .map(|line| {
            if line.trim().is_empty() {
                line.trim_start_matches([' ', '\t'])
            } else {
                &line[indent.min(line.len())..]
            }
        })
        .collect()
}

/// Renders a template's text into `out`; an unknown or invalid part makes it all unknown.
/// `strip_start` and `strip_end` trim the first and last literal, for the `~` markers of
/// the directive around a nested template.
fn render_into(
    evaluator: &Evaluator<'_>,
    template: &Template,
    out: &mut String,
) -> Result<(), Value> {
    render_stripped(evaluator, template, false, false, out)
}

fn render_stripped(
    evaluator: &Evaluator<'_>,
    template: &Template,
    strip_start: bool,
    strip_end: bool,
    out: &mut String,
) -> Result<(), Value> {
    let elements = elements(template);
    let last = elements.len().saturating_sub(1);
    for (i, element) in elements.iter().enumerate() {
        match element {
            Element::Literal(literal) => {
                let mut text: &str = literal.value();
                if (i == 0 && strip_start) || (i > 0 && strips_after(elements[i - 1])) {
                    text = text.trim_start();
                }
                if (i == last && strip_end)
                    || elements.get(i + 1).is_some_and(|next| strips_before(next))
                {
                    text = text.trim_end();
                }
                out.push_str(text);
            }
            Element::Interpolation(interpolation) => {
                let value = evaluator.eval(&interpolation.expr);
                out.push_str(&evaluator.text_of(&interpolation.expr, &value)?);
                fits(evaluator, out, &interpolation.expr)?;
            }
            Element::Directive(directive) => match directive.as_ref() {
                Directive::If(if_directive) => render_if(evaluator, if_directive, out)?,
                Directive::For(for_directive) => render_for(evaluator, for_directive, out)?,
            },
        }
    }
    Ok(())
}

/// `%{if}`: the branch the condition selects, with the `~` markers around it.
fn render_if(
    evaluator: &Evaluator<'_>,
    if_directive: &IfDirective,
    out: &mut String,
) -> Result<(), Value> {
    let condition = evaluator.eval(&if_directive.if_expr.cond_expr);
    let ends = |strip: Strip| matches!(strip, Strip::End | Strip::Both);
    let starts = |strip: Strip| matches!(strip, Strip::Start | Strip::Both);
    let else_strip = if_directive.else_expr.as_ref().map(|e| e.strip);
    let endif_strip = if_directive.endif_expr.strip;
    match condition.to_bool() {
        Some(true) => {
            let end = else_strip.map_or(starts(endif_strip), starts);
            let strip_start = ends(if_directive.if_expr.strip);
            render_stripped(
                evaluator,
                &if_directive.if_expr.template,
                strip_start,
                end,
                out,
            )
        }
        Some(false) => match &if_directive.else_expr {
            Some(else_expr) => {
                let (start, end) = (ends(else_expr.strip), starts(endif_strip));
                render_stripped(evaluator, &else_expr.template, start, end, out)
            }
            None => Ok(()),
        },
        None if condition.is_unknown() => {
            Err(evaluator.depends(&if_directive.if_expr.cond_expr, &condition))
        }
        None => Err(evaluator.invalid(
            &if_directive.if_expr.cond_expr,
            "the condition must be a bool",
        )),
    }
}

/// `%{for}`: the body once per element, with the loop variables bound.
fn render_for(
    evaluator: &Evaluator<'_>,
    for_directive: &ForDirective,
    out: &mut String,
) -> Result<(), Value> {
    let intro = &for_directive.for_expr;
    let collection = evaluator.eval(&intro.collection_expr);
    let pairs: Vec<(Value, Value)> = match collection.into_entries() {
        Ok(pairs) => pairs,
        Err(unknown @ Value::Unknown(_)) => {
            return Err(evaluator.depends(&intro.collection_expr, &unknown));
        }
        Err(_) => {
            return Err(evaluator.invalid(&intro.collection_expr, "cannot iterate over this value"));
        }
    };
    let start = matches!(intro.strip, Strip::End | Strip::Both);
    let end = matches!(for_directive.endfor_expr.strip, Strip::Start | Strip::Both);
    for (key, value) in pairs {
        let mut bindings = vec![(intro.value_var.as_str().to_owned(), value)];
        if let Some(key_var) = &intro.key_var {
            bindings.push((key_var.as_str().to_owned(), key));
        }
        render_stripped(&evaluator.with(bindings), &intro.template, start, end, out)?;
        fits(evaluator, out, &intro.collection_expr)?;
    }
    Ok(())
}

/// Stops rendering as soon as the text grows over the size of one value, before it
/// takes the memory of a thousand. The text built so far counts as computed, although
/// it is dropped: the time it took is what a configuration may not repeat endlessly.
fn fits(evaluator: &Evaluator<'_>, out: &str, at: &Expression) -> Result<(), Value> {
    let budget = evaluator.budget();
    let Err(message) = budget.fits(out.len() as u64) else {
        return Ok(());
    };
    if let Err(spent) = budget.spend(out.len() as u64) {
        evaluator.invalid(at, &spent);
    }
    Err(evaluator.invalid(at, &message))
}

fn elements(template: &Template) -> Vec<&Element> {
    template.iter().collect()
}

/// Whether `element` trims the whitespace of the literal that follows it (`~}`).
fn strips_after(element: &Element) -> bool {
    match element {
        Element::Interpolation(i) => matches!(i.strip, Strip::End | Strip::Both),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => matches!(d.endif_expr.strip, Strip::End | Strip::Both),
            Directive::For(d) => matches!(d.endfor_expr.strip, Strip::End | Strip::Both),
        },
        Element::Literal(_) => false,
    }
}

/// Whether `element` trims the whitespace of the literal before it (`${~`).
fn strips_before(element: &Element) -> bool {
    match element {
        Element::Interpolation(i) => matches!(i.strip, Strip::Start | Strip::Both),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => matches!(d.if_expr.strip, Strip::Start | Strip::Both),
            Directive::For(d) => matches!(d.for_expr.strip, Strip::Start | Strip::Both),
        },
        Element::Literal(_) => false,
    }
}

/// Parses and renders template text read from a file (`templatefile`).
pub fn render_text(evaluator: &Evaluator<'_>, text: &str) -> Value {
    match hcl_edit::parser::parse_template(text) {
        Ok(template) => render(evaluator, &template),
        Err(error) => Value::unknown(format!("the template is invalid: {}", error.message())),
    }
}
