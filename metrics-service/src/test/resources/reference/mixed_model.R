#!/usr/bin/env Rscript
# Reference values for MixedModelTest: lme4's REML fit of a simulated study with planted rater severities.
# Writes mixed_model_data.csv (the ratings) and mixed_model_lme4.json (what lme4 estimates from them).
#
# Run (Debian: apt-get install r-cran-lme4):  Rscript mixed_model.R
suppressPackageStartupMessages(library(lme4))
set.seed(20240521)

responders <- 6; characters <- 8; scenarios <- 10; raters <- 24
quality <- c(0.6, 0.3, 0.1, 0, -0.2, -0.5)           # planted responder effects
severity <- rnorm(raters, 0, 0.5)                     # planted rater severities
character_effect <- rnorm(characters, 0, 0.3)
scenario_effect <- rnorm(scenarios, 0, 0.2)
# annotators are matched to characters: raters 3c, 3c+1, 3c+2 (mod 24) know character c, so rater subsets differ
rows <- list()
for (r in 1:responders) for (c in 1:characters) for (s in 1:scenarios) {
  pool <- ((3 * (c - 1) + 0:5) %% raters) + 1
  for (a in sample(pool, 3)) {
    mu <- 3 + quality[r] + severity[a] + character_effect[c] + scenario_effect[s]
    scores <- pmin(5, pmax(1, round(mu + rnorm(9, 0, 0.8))))
    rows[[length(rows) + 1]] <- data.frame(responder = r - 1, character = c - 1, scenario = s - 1, rater = a - 1,
                                           sum = sum(scores))
  }
}
d <- do.call(rbind, rows)
d$y <- d$sum / 9
write.csv(d[, c("responder", "character", "scenario", "rater", "sum")], "mixed_model_data.csv", row.names = FALSE)

fit <- lmer(y ~ 0 + factor(responder) + (1 | rater) + (1 | character) + (1 | scenario), data = d, REML = TRUE,
            control = lmerControl(optimizer = "bobyqa"))
vc <- as.data.frame(VarCorr(fit))
num <- function(x) paste(sprintf("%.12g", x), collapse = ", ")
cat(sprintf('{\n  "lme4": "%s",\n  "observations": %d,\n  "coefficients": [%s],\n  "standardErrors": [%s],\n  "raterVariance": %s,\n  "characterVariance": %s,\n  "scenarioVariance": %s,\n  "residualVariance": %s,\n  "remlCriterion": %s,\n  "rawMeans": [%s]\n}\n',
            as.character(packageVersion("lme4")), nrow(d), num(fixef(fit)), num(sqrt(diag(as.matrix(vcov(fit))))),
            num(vc$vcov[vc$grp == "rater"]), num(vc$vcov[vc$grp == "character"]), num(vc$vcov[vc$grp == "scenario"]),
            num(sigma(fit)^2), num(REMLcrit(fit)), num(tapply(d$y, d$responder, mean))),
    file = "mixed_model_lme4.json")
