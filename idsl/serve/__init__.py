"""The authoring workbench (`idsl serve`): a local web page over a folder of specs, and its JSON API."""
