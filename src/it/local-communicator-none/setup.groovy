assert new File(baseImage).isFile() : "no base image at ${baseImage}: run scripts/make-base-image.sh (scripts/test.sh does)"
for (tool in ['qemu-system-x86_64', 'qemu-img']) {
    assert System.getenv('PATH').split(':').any { new File(it, tool).canExecute() } : "${tool} is not installed (scripts/install-deps.sh)"
}
true
