<?xml version="1.0" encoding="UTF-8"?>
<!--
  Chooses the access device to provision, from XSI's AccessDevices document.

  The walk runs it once, on the devices document, to learn which device file to download. The root template below
  answers
    <device status="ok|no-device|device-no-credentials|device-no-type-url" name url user password>
      <chosen>{the chosen accessDevice, copied as XSI sent it}</chosen>     when a device was chosen
      <considered name type verdict/>                                       per access device, for /provisioning/explain
    </device>
  DeviceChoice puts the chosen accessDevice into the walk as <chosen-device>, so account.xsl reads the device
  whose file was downloaded (its line port) and never chooses again.

  Public hook (namespace p = urn:provisioning-proxy): a tenant with another rule overrides it in
  xslt/tenants/<tenant>/choose-device.xsl (importing this file):
    function p:choose-device($devices, $type)   the accessDevice to provision, or nothing
  Names in pp (urn:provisioning-proxy:private) are internals that may change.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:p="urn:provisioning-proxy"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="#all">

  <xsl:output method="xml" encoding="UTF-8"/>

  <!-- deviceType of the platform being provisioned (from the tenant's platforms settings) -->
  <xsl:param name="deviceType" as="xs:string" select="''"/>

  <!--
    Devices of the wanted type; several may match. Prefer one that can actually be downloaded (device credentials
    and a deviceTypeUrl), then the Primary endpoint, then document order.
  -->
  <xsl:function name="p:choose-device" as="element()?">
    <xsl:param name="devices" as="node()?"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="matching" select="$devices//*:accessDevice[normalize-space(*:deviceType) = normalize-space($type)]"/>
    <xsl:variable name="usable" select="$matching[pp:downloadable(.)]"/>
    <xsl:sequence select="($usable[pp:primary(.)], $usable, $matching[pp:primary(.)], $matching)[1]"/>
  </xsl:function>

  <xsl:function name="pp:downloadable" as="xs:boolean">
    <xsl:param name="device" as="element()"/>
    <xsl:sequence select="exists($device/*:deviceUserNamePassword/*:userName[normalize-space()])
                          and exists($device/*:deviceTypeUrl[normalize-space()])"/>
  </xsl:function>

  <xsl:function name="pp:primary" as="xs:boolean">
    <xsl:param name="device" as="element()"/>
    <xsl:sequence select="normalize-space($device/*:endpointType) = 'Primary'"/>
  </xsl:function>

  <!-- the DMS folder of a device, always ending in '/' so the file name can be appended -->
  <xsl:function name="pp:device-folder" as="xs:string">
    <xsl:param name="device" as="element()?"/>
    <xsl:variable name="url" select="normalize-space($device/*:deviceTypeUrl)"/>
    <xsl:sequence select="if ($url = '' or ends-with($url, '/')) then $url else $url || '/'"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="device" select="p:choose-device(., $deviceType)"/>
    <device name="{normalize-space($device/*:deviceName)}"
            status="{if (empty($device)) then 'no-device'
                     else if (empty($device/*:deviceUserNamePassword/*:userName[normalize-space()])) then 'device-no-credentials'
                     else if (empty($device/*:deviceTypeUrl[normalize-space()])) then 'device-no-type-url'
                     else 'ok'}"
            url="{pp:device-folder($device)}"
            user="{normalize-space($device/*:deviceUserNamePassword/*:userName)}"
            password="{string($device/*:deviceUserNamePassword/*:password)}">
      <xsl:if test="exists($device)">
        <chosen><xsl:copy-of select="$device"/></chosen>
      </xsl:if>
      <xsl:for-each select=".//*:accessDevice">
        <considered name="{normalize-space(*:deviceName)}" type="{normalize-space(*:deviceType)}"
                    verdict="{if (. is $device) then 'chosen'
                              else if (normalize-space(*:deviceType) != normalize-space($deviceType)) then 'not the platform''s device type'
                              else if (not(pp:downloadable(.))) then 'no device credentials or deviceTypeUrl'
                              else 'less preferred (Primary endpoint first, then document order)'}"/>
      </xsl:for-each>
    </device>
  </xsl:template>

</xsl:stylesheet>
