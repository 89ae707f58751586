onbuild-parent:test
