"""Reference data shipped with the package (provinces, clusters, catalogue, targets, population, boundaries); its README gives the source of every file."""
