assert new File(baseImage).isFile() : "no base image at ${baseImage}: run scripts/make-base-image.sh (scripts/test.sh does)"
true
