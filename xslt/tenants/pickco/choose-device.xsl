<?xml version="1.0" encoding="UTF-8"?>
<!--
  Example override, tenant 'pickco': while it moves its users from the UC-One client to Cloud Softphone, a user may
  have two devices of the platform's type: the old UC-One one (often the Primary endpoint) and the one made for
  Cloud Softphone, named '…-csp'. Provision the '-csp' device when there is one; otherwise the Primary endpoint,
  then document order. The whole walk uses this choice: the device file downloaded and the line port account.xsl
  falls back on (sample samples/pickco-choose-device-line-port).
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:p="urn:provisioning-proxy"
                exclude-result-prefixes="#all">

  <xsl:import href="../../choose-device.xsl"/>

  <xsl:function name="p:choose-device" as="element()?">
    <xsl:param name="devices" as="node()?"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="matching" select="$devices//*:accessDevice[normalize-space(*:deviceType) = normalize-space($type)]"/>
    <xsl:sequence select="($matching[ends-with(normalize-space(*:deviceName), '-csp')],
                           $matching[normalize-space(*:endpointType) = 'Primary'],
                           $matching)[1]"/>
  </xsl:function>

</xsl:stylesheet>
