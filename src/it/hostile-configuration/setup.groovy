import io.github.amimaven.testing.it.EndpointAdmin
EndpointAdmin.of(endpointUrl, 'it-hostile').standard()
// a script saved as ISO-8859-1 ("echo café"): the byte 0xE9 is not UTF-8
new File(basedir, 'scripts').mkdirs()
new File(basedir, 'scripts/latin1.sh').bytes = [0x65, 0x63, 0x68, 0x6f, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A] as byte[]
true
