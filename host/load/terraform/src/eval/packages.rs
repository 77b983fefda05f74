//! Modules from a downloaded package, as the repository sees them: the package lives in
//! a cache outside the repository, so its resources and problems are reported at the
//! module call that brings the package in (the line a user can change), each saying
//! where in the package it is written (`acme/net/alicloud@1.3.0/main.tf:4:1`).

use std::path::{Path, PathBuf};

use palisade_model::{LoadError, Location, Origin, Resource, Source, Span, Spans};
use palisade_modules::Package;

/// The `source` argument of the call that enters a package.
pub(super) struct Entry<'a> {
    pub package: &'a Package,
    pub file: &'a Path,
    pub span: Span,
}

impl Entry<'_> {
    /// Moves `resource` to the call, keeping where it is written as an origin. A
    /// resource moved already (by a call inside this package into another) keeps the
    /// place it was first found.
    pub fn relocate_resource(&self, resource: &mut Resource) {
        if !resource.file.starts_with(&self.package.root) {
            return;
        }
        let defined = Source::Downloaded(Location::new(
            self.shown(&resource.file),
            resource.span.start,
        ));
        let whole = resource
            .origins
            .entry(Resource::WHOLE.to_owned())
            .or_default();
        if !whole
            .sources
            .iter()
            .any(|source| matches!(source, Source::Downloaded(_)))
        {
            whole.sources.push(defined);
        }
        for origin in resource.origins.values_mut() {
            self.rename(origin);
        }
        resource.file = self.file.to_path_buf();
        resource.span = self.span;
        resource.spans = Spans::default();
    }

    /// Moves a problem found in the package to the call, saying where it is.
    pub fn relocate_error(&self, error: &mut LoadError) {
        if !error.file.starts_with(&self.package.root) {
            return;
        }
        error.message = format!(
            "in {}:{}:{}: {}",
            self.shown(&error.file).display(),
            error.position.line,
            error.position.column,
            error.message
        );
        error.file = self.file.to_path_buf();
        error.position = self.span.start;
    }

    /// Names the package's files in `origin` by the package, not by the cache.
    fn rename(&self, origin: &mut Origin) {
        origin.locations_mut(&mut |location| {
            if location.file.starts_with(&self.package.root) {
                location.file = self.shown(&location.file);
            }
        });
    }

    /// `acme/net/alicloud@1.3.0/main.tf` for a file of the package.
    fn shown(&self, file: &Path) -> PathBuf {
        let inside = file
            .strip_prefix(&self.package.base)
            .or_else(|_| file.strip_prefix(&self.package.root))
            .unwrap_or(file);
        Path::new(&self.package.name).join(inside)
    }
}
