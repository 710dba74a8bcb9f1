"""The Teams app package source: manifest template, icons, stored schema and the build.

`python -m manifest.build` (or `make package`) writes build/appPackage.zip; see manifest/README.md.
"""
