import io.github.amimaven.testing.it.EndpointAdmin
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient
import software.amazon.awssdk.regions.Region
import software.amazon.awssdk.services.ec2.Ec2Client
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateRequest
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData

def admin = EndpointAdmin.of(endpointUrl, 'it-deploy').standard()
        .configure([delays: [all: 150, imageCopy: 400]])
admin.seedImage('ap-southeast-2', 'base-2026.11', admin.state().get('accountId').asText(), '2026-11-01T00:00:00.000Z')

// the team's launch template, which deploy gives a new default version
def ec2 = Ec2Client.builder().endpointOverride(URI.create(endpointUrl)).region(Region.of('ap-southeast-2'))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create('it-deploy', 'it-secret')))
        .httpClient(UrlConnectionHttpClient.create()).build()
ec2.withCloseable {
    it.createLaunchTemplate(CreateLaunchTemplateRequest.builder().launchTemplateName('web-servers')
            .launchTemplateData(RequestLaunchTemplateData.builder().instanceType('t3.small').build()).build())
}
true
